namespace Ops.LocalCloud.Services.Ec2;

/// <summary>Everything EC2 keeps (the <c>ec2.json</c> state file): instances, security groups and tags by resource id.</summary>
internal sealed class Ec2State
{
    public SortedDictionary<string, Ec2Instance> Instances { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, Ec2SecurityGroup> Groups { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
}
