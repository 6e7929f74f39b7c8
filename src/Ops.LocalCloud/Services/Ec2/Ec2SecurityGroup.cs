using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ec2;

/// <summary>A security group and its ingress rules (kept as the IpPermissions sent).</summary>
internal sealed class Ec2SecurityGroup
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string VpcId { get; set; } = Ec2Network.Vpc;
    public List<JsonObject> Ingress { get; set; } = [];
}
