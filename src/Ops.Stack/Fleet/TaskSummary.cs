namespace Ops.Stack.Fleet;

/// <summary>One task of the stage's family as describe-ecs shows it; <see cref="Runner"/> is LocalCloud's <c>ops.runner</c> attribute, <see cref="Drain"/> its
/// drain in the newest rollout.</summary>
public sealed record TaskSummary(
    string Id, string LastStatus, string DesiredStatus, string? TaskDefinition, string? Image, string? ImageDigest, DateTimeOffset? StartedAt,
    string? Health, string? Runner, string? StoppedReason, int? ExitCode, TaskDrainSummary? Drain = null);
