using Ops.Aws.Ec2;
using Ops.Stack.Core;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>
/// create-security-groups: the stage's web group and workers' group (egress only) and one group per data store that
/// admits the store's port from those two groups alone. Any rule open to an address range on these groups is revoked:
/// they are Ops's, and nothing here is reached from outside the stack.
/// </summary>
public sealed class SecurityGroupsProvisioner(StageContext context) : IStatusSource
{
    /// <summary>PostgreSQL, Redis and Redshift's ports.</summary>
    public const int DatabasePort = 5432, CachePort = 6379, WarehousePort = 5439;

    readonly Ec2Client _ec2 = new(context.Connection);

    /// <summary>The groups of the stage: name, what it is for, and the port it admits from the web and worker groups (null: none).</summary>
    public IReadOnlyList<(string Name, string Purpose, int? Port)> Groups =>
    [
        (context.Stack.Instances.SecurityGroup, "ECS container instances (egress only)", null),
        (context.Stack.SecurityGroups.Web, "Elastic Beanstalk web instances (egress only)", null),
        (context.Stack.SecurityGroups.Database, "RDS PostgreSQL, from web and workers", DatabasePort),
        (context.Stack.SecurityGroups.Cache, "ElastiCache Redis, from web and workers", CachePort),
        (context.Stack.SecurityGroups.Warehouse, "Redshift, from web and workers", WarehousePort),
    ];

    /// <summary>Creates or corrects every group and its rules; returns the changes made (or, on a dry run, that would be).</summary>
    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var vpc = await VpcAsync(cancellationToken);
        var existing = await DescribeAsync(cancellationToken);
        var changes = new List<Change>();
        var ids = new Dictionary<string, string?>();
        foreach (var (name, purpose, _) in Groups)
        {
            if (existing.TryGetValue(name, out var group))
            {
                ids[name] = group.GroupId;
                continue;
            }
            var change = new Change($"security group {name}", "security group", null, $"in {vpc}: {purpose}");
            changes.Add(change);
            string? id = null;
            await Mutation.ApplyAsync(context, change, async () => id = (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
            {
                GroupName = name,
                VpcId = vpc,
                Description = $"{context.Stack.Project} {context.Stack.Stage}: {purpose}",
                TagSpecifications = [new TagSpecification { ResourceType = "security-group", Tags = Tags() }],
            }, cancellationToken)).GroupId);
            ids[name] = id;
        }
        foreach (var (name, _, port) in Groups)
        {
            var current = existing.GetValueOrDefault(name);
            var id = ids[name];
            changes.AddRange(await RevokeRangesAsync(name, current, cancellationToken));
            if (port is not { } p) continue;
            var sources = new[] { context.Stack.SecurityGroups.Web, context.Stack.Instances.SecurityGroup };
            foreach (var source in sources)
            {
                var sourceId = ids[source];
                var present = current?.IpPermissions?.Any(r => r.FromPort == p && r.ToPort == p && r.IpProtocol == "tcp"
                    && r.UserIdGroupPairs?.Any(g => g.GroupId == sourceId) == true) == true;
                if (present) continue;
                var change = new Change($"security group {name}", $"ingress tcp {p}", "(none)", $"from {source}");
                changes.Add(change);
                await Mutation.ApplyAsync(context, change, () => _ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
                {
                    GroupId = id,
                    IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = p, ToPort = p,
                        UserIdGroupPairs = [new UserIdGroupPair { GroupId = sourceId, Description = $"from {source}" }] }],
                }, cancellationToken));
            }
        }
        foreach (var (name, _, _) in Groups)
            if (existing.GetValueOrDefault(name) is { } group)
                changes.AddRange(await TagAsync(name, group, cancellationToken));
        if (changes.Count == 0) context.Log.Info($"security groups {string.Join(", ", Groups.Select(g => g.Name))}: up to date");
        return changes;
    }

    /// <summary>The id of each group that exists, by name (read calls only).</summary>
    public async Task<IReadOnlyDictionary<string, string>> IdsAsync(CancellationToken cancellationToken) =>
        (await DescribeAsync(cancellationToken)).ToDictionary(g => g.Key, g => g.Value.GroupId!);

    /// <summary>The id of group <paramref name="name"/>, or a CloudStateException saying to run create-security-groups (null on a dry run).</summary>
    public async Task<string?> RequireAsync(string name, CancellationToken cancellationToken)
    {
        if ((await IdsAsync(cancellationToken)).TryGetValue(name, out var id)) return id;
        if (context.DryRun) return null;
        throw new CloudStateException($"security group {name} does not exist; run ./build.sh create-security-groups --stage {context.Stack.Stage} first (up does it for you).");
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var existing = await DescribeAsync(cancellationToken);
        var rows = new List<ResourceStatus>();
        foreach (var (name, _, port) in Groups)
        {
            if (!existing.TryGetValue(name, out var group))
            {
                rows.Add(ResourceStatus.Missing("security-group", name));
                continue;
            }
            var drift = new List<string>();
            var open = (group.IpPermissions ?? []).Where(r => r.IpRanges?.Count > 0 || r.Ipv6Ranges?.Count > 0).ToList();
            if (open.Count > 0) drift.Add($"ingress from address ranges: {string.Join(", ", open.Select(Describe))} → none");
            if (port is { } p)
                foreach (var source in new[] { context.Stack.SecurityGroups.Web, context.Stack.Instances.SecurityGroup })
                    if (existing.TryGetValue(source, out var s)
                        && group.IpPermissions?.Any(r => r.FromPort == p && r.UserIdGroupPairs?.Any(g => g.GroupId == s.GroupId) == true) != true)
                        drift.Add($"ingress tcp {p} from {source}: none → allowed");
            rows.Add(new ResourceStatus("security-group", name, true, group.GroupId!, drift.Count == 0, drift));
        }
        return rows;
    }

    async Task<List<Change>> RevokeRangesAsync(string name, SecurityGroup? group, CancellationToken ct)
    {
        var open = (group?.IpPermissions ?? []).Where(r => r.IpRanges?.Count > 0 || r.Ipv6Ranges?.Count > 0).ToList();
        if (open.Count == 0) return [];
        var change = new Change($"security group {name}", "ingress from address ranges", string.Join(", ", open.Select(Describe)), "(none)");
        await Mutation.ApplyAsync(context, change, () => _ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest
        {
            GroupId = group!.GroupId,
            IpPermissions = open.Select(r => new IpPermission { IpProtocol = r.IpProtocol, FromPort = r.FromPort, ToPort = r.ToPort, IpRanges = r.IpRanges,
                Ipv6Ranges = r.Ipv6Ranges }).ToList(),
        }, ct));
        return [change];
    }

    async Task<List<Change>> TagAsync(string name, SecurityGroup group, CancellationToken ct)
    {
        var tags = (group.Tags ?? []).Where(t => t.Key != null).ToDictionary(t => t.Key!, t => t.Value ?? "");
        return await StackTags.EnsureAsync(context, $"security group {name}", tags, missing => _ec2.CreateTagsAsync(new CreateTagsRequest
        {
            Resources = [group.GroupId!],
            Tags = missing.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
        }, ct));
    }

    static string Describe(IpPermission r) =>
        $"{r.IpProtocol} {r.FromPort}-{r.ToPort} from {string.Join(" ", (r.IpRanges ?? []).Select(x => x.CidrIp).Concat((r.Ipv6Ranges ?? []).Select(x => x.CidrIpv6)))}";

    List<Tag> Tags() => context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();

    /// <summary>Every group of <see cref="Groups"/> that exists in the stage's VPC, by name: one call, shared by the run's targets.</summary>
    internal Task<IReadOnlyDictionary<string, SecurityGroup>> DescribeAsync(CancellationToken ct) =>
        context.Reads.SecurityGroups.GetAsync(() => ReadAsync(ct), ct);

    async Task<IReadOnlyDictionary<string, SecurityGroup>> ReadAsync(CancellationToken ct)
    {
        var vpc = await VpcAsync(ct);
        var names = Groups.Select(g => g.Name).ToList();
        var groups = (await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
        {
            Filters = [new Filter { Name = "group-name", Values = names }, new Filter { Name = "vpc-id", Values = [vpc] }],
        }, ct)).SecurityGroups ?? [];
        return groups.Where(g => g.GroupName != null && names.Contains(g.GroupName)).GroupBy(g => g.GroupName!).ToDictionary(g => g.Key, g => g.First());
    }

    Task<string> VpcAsync(CancellationToken ct) => StageVpc.ResolveAsync(_ec2, context, ct);
}
