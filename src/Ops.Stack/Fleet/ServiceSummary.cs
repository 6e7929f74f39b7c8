namespace Ops.Stack.Fleet;

/// <summary>The stage's service as describe-ecs shows it.</summary>
public sealed record ServiceSummary(string Name, string Status, string? LaunchType, int Desired, int Running, int Pending, string? TaskDefinition,
    IReadOnlyList<DeploymentSummary> Deployments);
