namespace Ops.Stack.Fleet;

/// <summary>What describe-ecs reports, and its <c>--output json</c> schema (documented in docs/fleet.md; fields are only ever added).</summary>
public sealed record FleetDescription(string Stage, ClusterSummary? Cluster, IReadOnlyList<InstanceSummary> Instances, ServiceSummary? Service,
    IReadOnlyList<TaskSummary> Tasks);
