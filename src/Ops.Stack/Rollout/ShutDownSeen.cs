namespace Ops.Stack.Rollout;

/// <summary>A ShutDown-0 worker-log item read through the task-index (<see cref="Server"/>: a task id, or an old worker's host name).</summary>
public sealed record ShutDownSeen(string WorkerUuid, string Timestamp, string? Server, DateTimeOffset At)
{
    /// <summary>Identifies the item (worker_uuid#timestamp).</summary>
    public string Key => $"{WorkerUuid}#{Timestamp}";
}
