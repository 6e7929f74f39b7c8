namespace Ops.LocalCloud.Services.Ecs;

/// <summary>One deployment of a service: the task definition it rolls out and how far the rollout is.</summary>
internal sealed class EcsDeployment
{
    public string Id { get; set; } = "";
    public string Status { get; set; } = "PRIMARY";
    public string TaskDefinition { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset Updated { get; set; }
    public string RolloutState { get; set; } = "IN_PROGRESS";
    public string RolloutStateReason { get; set; } = "";

    /// <summary>Tasks of this deployment that stopped on their own while it was IN_PROGRESS (ECS's <c>failedTasks</c>).</summary>
    public int FailedTasks { get; set; }

    /// <summary>The deployment the circuit breaker started to roll back to the last completed one (it is never rolled back itself).</summary>
    public bool Rollback { get; set; }
}
