using Ops.Aws.Ec2;
using Ops.Aws.Lookups;

namespace Ops.Stack.Core;

/// <summary>The VPC a stage's instances and security groups live in: <c>instances.subnet</c>'s, else the region's default VPC; read once per run.</summary>
internal static class StageVpc
{
    public static Task<string> ResolveAsync(Ec2Client ec2, StageContext context, CancellationToken ct) =>
        context.Reads.Vpc.GetAsync(() => ReadAsync(ec2, context, ct), ct);

    static async Task<string> ReadAsync(Ec2Client ec2, StageContext context, CancellationToken ct)
    {
        if (context.Stack.Instances.Subnet is { } subnet)
        {
            try
            {
                return (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [subnet] }, ct)).Subnets!.Single().VpcId!;
            }
            catch (Exception e) when (AwsErrors.Is(e, "InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed"))
            {
                throw new StackException($"instances.subnet: {subnet} does not exist in {context.Connection.Region}; name a subnet of your VPC, or leave it out to use the default VPC.");
            }
        }
        var vpcs = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter { Name = "isDefault", Values = ["true"] }] }, ct)).Vpcs ?? [];
        return vpcs.FirstOrDefault()?.VpcId
            ?? throw new StackException($"instances.subnet: region {context.Connection.Region} has no default VPC; set instances.subnet to a subnet of your VPC.");
    }
}
