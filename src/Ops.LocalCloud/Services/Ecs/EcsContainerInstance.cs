namespace Ops.LocalCloud.Services.Ecs;

/// <summary>A container instance: the EC2 instance an ECS agent registered into a cluster.</summary>
internal sealed class EcsContainerInstance
{
    public string Id { get; set; } = "";
    public string Ec2InstanceId { get; set; } = "";
    public string Status { get; set; } = "ACTIVE";
    public DateTimeOffset Registered { get; set; }
}
