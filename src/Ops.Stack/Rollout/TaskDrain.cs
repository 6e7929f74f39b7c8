namespace Ops.Stack.Rollout;

/// <summary>One task's drain in a rollout record: its revision, state, kill message and how it was acknowledged.</summary>
public sealed class TaskDrain
{
    /// <summary>The task's Family:Revision.</summary>
    public string Revision { get; set; } = "";

    public string State { get; set; } = TaskDrainState.Pending;

    public string? KillMessageId { get; set; }

    public DateTimeOffset? KillSentAt { get; set; }

    public DateTimeOffset? KillExpiresAt { get; set; }

    public DateTimeOffset? AckedAt { get; set; }

    /// <summary>ack-record, worker-log or stopped.</summary>
    public string? AckSource { get; set; }

    /// <summary>The worker-log item (worker_uuid#timestamp) that acknowledged it, so one item never covers two tasks.</summary>
    public string? AckItem { get; set; }

    /// <summary>True when the task is no longer pending (acknowledged, stopped or forced).</summary>
    public bool IsDone => State is not (TaskDrainState.Pending or TaskDrainState.Protected);
}
