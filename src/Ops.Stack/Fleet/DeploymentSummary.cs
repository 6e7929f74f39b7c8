namespace Ops.Stack.Fleet;

/// <summary>One deployment of the service (PRIMARY, ACTIVE) with its rollout state.</summary>
public sealed record DeploymentSummary(string Id, string Status, string? RolloutState, string? RolloutStateReason, string? TaskDefinition, int Desired,
    int Running, int Pending);
