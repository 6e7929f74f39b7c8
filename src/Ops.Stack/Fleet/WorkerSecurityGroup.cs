using Ops.Aws.Ec2;
using Ops.Stack.Core;
using Ops.Stack.Stores;

namespace Ops.Stack.Fleet;

/// <summary>
/// The workers' security group, <c>instances.security-group</c>: egress only, in the stage's VPC. The container instances
/// (create-ec2-instances) and FARGATE tasks (create-ecs) use the same one.
/// </summary>
internal sealed class WorkerSecurityGroup(StageContext context, Ec2Client ec2)
{
    /// <summary>The group's id (on a dry run for a group not created yet, null); an ingress rule open to 0.0.0.0/0 is revoked.</summary>
    public async Task<string?> EnsureAsync(string vpc, List<Change> changes, CancellationToken ct)
    {
        var name = context.Stack.Instances.SecurityGroup;
        var resource = $"security group {name}";
        var existing = (await new SecurityGroupsProvisioner(context).DescribeAsync(ct)).GetValueOrDefault(name);
        if (existing == null)
        {
            var change = new Change(resource, "security group", null, $"in {vpc}, egress only");
            changes.Add(change);
            string? id = null;
            await Mutation.ApplyAsync(context, change, async () =>
                id = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
                {
                    GroupName = name,
                    VpcId = vpc,
                    Description = $"ECS container instances of {context.Stack.Project} {context.Stack.Stage} (egress only)",
                    TagSpecifications = [new TagSpecification { ResourceType = "security-group",
                        Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList() }],
                }, ct)).GroupId);
            return id;
        }
        var open = (existing.IpPermissions ?? []).Where(p => p.IpRanges?.Any(r => r.CidrIp == "0.0.0.0/0") == true).ToList();
        if (open.Count > 0)
        {
            var change = new Change(resource, "ingress from 0.0.0.0/0", string.Join(", ", open.Select(p => $"{p.IpProtocol} {p.FromPort}-{p.ToPort}")), "(none)");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, () => ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest
            {
                GroupId = existing.GroupId,
                IpPermissions = open.Select(p => new IpPermission { IpProtocol = p.IpProtocol, FromPort = p.FromPort, ToPort = p.ToPort,
                    IpRanges = [new IpRange { CidrIp = "0.0.0.0/0" }] }).ToList(),
            }, ct));
        }
        return existing.GroupId;
    }
}
