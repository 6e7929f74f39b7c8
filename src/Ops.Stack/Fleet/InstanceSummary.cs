namespace Ops.Stack.Fleet;

/// <summary>One container instance of the cluster as describe-ecs shows it.</summary>
public sealed record InstanceSummary(string Ec2InstanceId, string Status, bool AgentConnected, int RunningTasks, int PendingTasks);
