using Ops.Aws.Ec2;
using Ops.Aws.Ecs;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>
/// The network of awsvpc tasks (FARGATE on AWS): <c>instances.subnet</c>, else the default subnets of the region's default
/// VPC; the workers' security group (egress only); a public IP only in the default VPC, whose subnets reach ECR and
/// CloudWatch Logs through an internet gateway (a subnet of your own must reach them through NAT or VPC endpoints).
/// </summary>
internal sealed class TaskNetwork(StageContext context)
{
    readonly Ec2Client _ec2 = new(context.Connection);

    /// <summary>The service's network configuration; the security group is created when missing (<paramref name="changes"/> say so).</summary>
    public async Task<NetworkConfiguration> EnsureAsync(List<Change> changes, CancellationToken ct)
    {
        var vpc = await StageVpc.ResolveAsync(_ec2, context, ct);
        var group = await new WorkerSecurityGroup(context, _ec2).EnsureAsync(vpc, changes, ct);
        var own = context.Stack.Instances.Subnet;
        var subnets = own != null ? [own] : await DefaultSubnetsAsync(vpc, ct);
        return new NetworkConfiguration
        {
            AwsvpcConfiguration = new AwsVpcConfiguration
            {
                Subnets = subnets,
                // On a dry run the group may not exist yet: its name stands in for the id in what would be sent.
                SecurityGroups = [group ?? context.Stack.Instances.SecurityGroup],
                AssignPublicIp = own == null ? "ENABLED" : "DISABLED",
            },
        };
    }

    async Task<List<string>> DefaultSubnetsAsync(string vpc, CancellationToken ct)
    {
        var request = new DescribeSubnetsRequest
        {
            Filters = [new Filter { Name = "vpc-id", Values = [vpc] }, new Filter { Name = "default-for-az", Values = ["true"] }],
        };
        var subnets = new List<string>();
        await foreach (var subnet in _ec2.DescribeSubnetsItemsAsync(request, ct))
            if (subnet.SubnetId != null) subnets.Add(subnet.SubnetId);
        if (subnets.Count == 0)
            throw new StackException($"ecs.launch-type: FARGATE needs a subnet, and the default VPC {vpc} has none; set instances.subnet.");
        subnets.Sort(StringComparer.Ordinal);
        return subnets;
    }
}
