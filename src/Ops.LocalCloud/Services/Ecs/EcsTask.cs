namespace Ops.LocalCloud.Services.Ecs;

/// <summary>
/// An ECS task: where it runs, who started it, and the timestamps its status follows from
/// (see <see cref="EcsScheduler.LastStatus"/>); a stopped task keeps its reason and code.
/// </summary>
internal sealed class EcsTask
{
    public string Id { get; set; } = "";
    public string TaskDefinition { get; set; } = "";
    public string? ContainerInstance { get; set; }
    public string Group { get; set; } = "";
    public string? StartedBy { get; set; }
    public string? DeploymentId { get; set; }
    public string LaunchType { get; set; } = "EC2";
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset? StopRequested { get; set; }
    public string? StoppedReason { get; set; }
    public string? StopCode { get; set; }
    public DateTimeOffset? ProtectedUntil { get; set; }
}
