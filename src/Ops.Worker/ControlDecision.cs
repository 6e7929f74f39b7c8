namespace Ops.Worker;

/// <summary>What the worker does with a control message instead of dispatching it: the worker-log status to record, whether to delete it, whether to stop receiving.</summary>
internal sealed record ControlDecision(string Status, bool Delete, bool StopReceiving);
