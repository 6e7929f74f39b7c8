namespace Ops.Stack.Fleet;

/// <summary>The cluster as describe-ecs shows it.</summary>
public sealed record ClusterSummary(string Name, string Status, int RegisteredInstances, int ActiveServices, int RunningTasks, int PendingTasks);
