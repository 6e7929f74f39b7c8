namespace Ops.Stack.Fleet;

/// <summary>
/// A task's drain as describe-ecs shows it: its state in the newest rollout record (pending, acknowledged, stopped, forced;
/// none when that rollout did not track it), the rollout, since when, and whether it holds ECS scale-in protection now.
/// </summary>
public sealed record TaskDrainSummary(string State, string? Rollout, DateTimeOffset? Since, bool Protected, DateTimeOffset? ProtectedUntil);
