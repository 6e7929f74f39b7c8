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
    public string RolloutStateReason { get; set; } = "ECS deployment in progress.";
}
