namespace Ops.Worker;

/// <summary>A control message taken over by a handler: what to do with it, the line to log, and for a drain the kill message and whether to acknowledge
/// it.</summary>
/// <param name="Action">Delete, put back, or drain.</param>
/// <param name="Line">What the worker logs about it (for a drain, the reason; the loop words the progress lines).</param>
/// <param name="Kill">The kill message, for a drain.</param>
/// <param name="Acknowledge">For a drain: write the acknowledgement record to the kill message's ack_table (new shape only).</param>
internal sealed record ControlDecision(ControlAction Action, string Line, KillMessage? Kill = null, bool Acknowledge = false);
