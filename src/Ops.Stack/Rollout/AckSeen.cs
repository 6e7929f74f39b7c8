namespace Ops.Stack.Rollout;

/// <summary>An acknowledgement record read from the rollout table (pk ack#rollout_id).</summary>
public sealed record AckSeen(string TaskId, DateTimeOffset AckedAt);
