namespace Ops.Stack.Rollout;

/// <summary>An acknowledgement record read from the rollout table (pk ack#rollout_id): the task that drained and the kill message it took.</summary>
public sealed record AckSeen(string TaskId, DateTimeOffset AckedAt, string? KillMessageId = null);
