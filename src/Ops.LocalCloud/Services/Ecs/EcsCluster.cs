namespace Ops.LocalCloud.Services.Ecs;

/// <summary>An ECS cluster with its container instances, services and tasks (stopped tasks included).</summary>
internal sealed class EcsCluster
{
    public string Name { get; set; } = "";
    public string Status { get; set; } = "ACTIVE";
    public List<string> CapacityProviders { get; set; } = [];
    public System.Text.Json.Nodes.JsonArray? DefaultCapacityProviderStrategy { get; set; }
    public List<EcsContainerInstance> Instances { get; set; } = [];
    public SortedDictionary<string, EcsServiceState> Services { get; set; } = new(StringComparer.Ordinal);
    public List<EcsTask> Tasks { get; set; } = [];
}
