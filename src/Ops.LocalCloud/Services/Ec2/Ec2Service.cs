using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ops.LocalCloud.Services.Ecs;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Ec2;

/// <summary>
/// EC2: a default VPC with subnets and zones, ECS-optimised images, instances (pending → running →
/// stopping/stopped → shutting-down/terminated) whose user data <c>ECS_CLUSTER=name</c> joins them to that
/// ECS cluster, security groups with ingress rules, and tags with the usual filters. Handlers are grouped
/// by resource in the partial files <c>Ec2Service.*.cs</c>.
/// </summary>
internal sealed partial class Ec2Service : ServiceHandler<Ec2State>
{
    readonly Ec2InstanceLifecycle _lifecycle;
    readonly EcsService _ecs;
    public override string Name => "ec2";

    public Ec2Service(StateStore store, LifecycleDelays delays, EcsService ecs) : base(store)
    {
        _lifecycle = new Ec2InstanceLifecycle(delays.Task);
        _ecs = ecs;

        On("DescribeVpcs", DescribeVpcs);
        On("DescribeSubnets", DescribeSubnets);
        On("DescribeAvailabilityZones", DescribeAvailabilityZones);
        On("DescribeImages", DescribeImages);

        On("RunInstances", RunInstances);
        On("DescribeInstances", DescribeInstances);
        On("StopInstances", StopInstances);
        On("StartInstances", StartInstances);
        On("TerminateInstances", TerminateInstances);

        On("CreateSecurityGroup", CreateSecurityGroup);
        On("DescribeSecurityGroups", DescribeSecurityGroups);
        On("DeleteSecurityGroup", DeleteSecurityGroup);
        On("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngress);
        On("RevokeSecurityGroupIngress", RevokeSecurityGroupIngress);

        On("CreateTags", CreateTags);
        On("DeleteTags", DeleteTags);
        On("DescribeTags", DescribeTags);
    }

    /// <summary>The request's Filters as name → values.</summary>
    static Dictionary<string, List<string>> Filters(JsonObject i) =>
        ((i["Filters"] as JsonArray) ?? []).ToDictionary(f => (string)f!["Name"]!, f => ((f!["Values"] as JsonArray) ?? []).Select(v => (string)v!).ToList());

    /// <summary>An EC2 filter value (<c>*</c> and <c>?</c> wildcards) as a regular expression.</summary>
    static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");

    static string Hex(int length) => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..length];
}
