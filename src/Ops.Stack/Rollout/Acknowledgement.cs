namespace Ops.Stack.Rollout;

/// <summary>
/// A task found drained: by its ack record, by a ShutDown-0 worker-log item (<see cref="Legacy"/>: from a worker that did
/// not name its task, so it covers one pending task), or because it stopped.
/// </summary>
public sealed record Acknowledgement(string TaskId, string Source, DateTimeOffset At, string? Item = null, bool Legacy = false, string? Server = null);
