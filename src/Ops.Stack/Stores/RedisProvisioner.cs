using Ops.Aws.ElastiCache;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using Ops.Stack.Secrets;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>
/// create-redis-cluster: the stage's ElastiCache Redis replication group, encrypted at rest and in transit, its AUTH
/// token generated into SSM when missing, events sent to the cache topic, in the cache security group; waits until available.
/// </summary>
public sealed class RedisProvisioner(StageContext context) : IStatusSource
{
    /// <summary>Length of a generated AUTH token (ElastiCache allows 16–128).</summary>
    public const int TokenLength = 64;

    readonly ElastiCacheClient _cache = new(context.Connection);

    string Id => context.Stack.Redis.ReplicationGroup;

    string Resource => $"redis replication group {Id}";

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var spec = context.Stack.Redis;
        var group = await new SecurityGroupsProvisioner(context).RequireAsync(context.Stack.SecurityGroups.Cache, cancellationToken);
        var topic = await new TopicsProvisioner(context).ArnAsync(context.Stack.Topics.Cache, cancellationToken);
        if (topic == null && !context.DryRun)
            throw new CloudStateException($"sns topic {context.Stack.Topics.Cache} does not exist; run ./build.sh create-topics --stage {context.Stack.Stage} first (up does it for you).");
        var existing = await DescribeAsync(cancellationToken);
        var secrets = new SecretStore(context);
        var token = await secrets.EnsureGeneratedAsync(spec.AuthSecret, TokenLength, cancellationToken);
        var changes = new List<Change>();
        if (existing == null)
        {
            var change = new Change(Resource, "replication group", null,
                $"redis {spec.EngineVersion}, {spec.Nodes} × {spec.NodeType}, encrypted at rest and in transit, AUTH token, events to {context.Stack.Topics.Cache}");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await _cache.CreateReplicationGroupAsync(new CreateReplicationGroupMessage
                {
                    ReplicationGroupId = Id,
                    ReplicationGroupDescription = $"{context.Stack.Project} {context.Stack.Stage} cache",
                    Engine = "redis",
                    EngineVersion = spec.EngineVersion,
                    CacheNodeType = spec.NodeType,
                    NumCacheClusters = spec.Nodes,
                    AutomaticFailoverEnabled = spec.Nodes > 1,
                    MultiAZEnabled = spec.Nodes > 1,
                    AtRestEncryptionEnabled = true,
                    TransitEncryptionEnabled = true,
                    AuthToken = token,
                    SecurityGroupIds = [group!],
                    NotificationTopicArn = topic,
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, cancellationToken);
                await WaitAvailableAsync(cancellationToken);
            });
            if (!context.DryRun && await PrimaryAsync(cancellationToken) is { } endpoint)
                context.Log.Info($"{Resource}: available at {endpoint.Address}:{endpoint.Port} (AUTH token in SSM {secrets.ParameterName(spec.AuthSecret)})");
            return changes;
        }
        if (existing.AtRestEncryptionEnabled != true || existing.TransitEncryptionEnabled != true)
            throw new CloudStateException($"{Resource} is not encrypted at rest and in transit, which ElastiCache cannot turn on in place for both; create a new group from a backup (set redis.replication-group to a new name) and move the clients.");
        var modify = new ModifyReplicationGroupMessage { ReplicationGroupId = Id, ApplyImmediately = true };
        changes.AddRange(SettingDrift<ModifyReplicationGroupMessage>.ApplyAll(Resource, Differences(existing), modify));
        if (existing.AuthTokenEnabled == false && token != null)
        {
            changes.Add(new Change(Resource, "AUTH token", "off", $"the generated {secrets.ParameterName(spec.AuthSecret)}"));
            modify.AuthToken = token;
            modify.AuthTokenUpdateStrategy = "SET";
        }
        if (changes.Count > 0)
            await Mutation.ApplyAsync(context, changes, async () =>
            {
                await _cache.ModifyReplicationGroupAsync(modify, cancellationToken);
                await WaitAvailableAsync(cancellationToken);
            });
        if (changes.Count == 0) context.Log.Info($"{Resource}: up to date ({existing.Status})");
        return changes;
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var existing = await DescribeAsync(cancellationToken);
        if (existing == null) return [ResourceStatus.Missing("redis", Id)];
        var drift = Differences(existing).Select(d => d.ToString()).ToList();
        if (existing.AtRestEncryptionEnabled != true) drift.Add("encrypted at rest: false → true");
        if (existing.TransitEncryptionEnabled != true) drift.Add("encrypted in transit: false → true");
        if (existing.AuthTokenEnabled == false) drift.Add("AUTH token: off → on");
        var endpoint = existing.NodeGroups?.FirstOrDefault()?.PrimaryEndpoint;
        var state = endpoint != null ? $"{existing.Status} {endpoint.Address}:{endpoint.Port}" : existing.Status ?? "unknown";
        return [new ResourceStatus("redis", Id, true, state, existing.Status == "available", drift)];
    }

    /// <summary>The primary endpoint, or null when the group does not exist or has none yet (read calls only).</summary>
    public async Task<Endpoint?> PrimaryAsync(CancellationToken cancellationToken) =>
        (await DescribeAsync(cancellationToken))?.NodeGroups?.FirstOrDefault()?.PrimaryEndpoint;

    internal IEnumerable<SettingDrift<ModifyReplicationGroupMessage>> Differences(ReplicationGroup existing)
    {
        var spec = context.Stack.Redis;
        if (existing.CacheNodeType != null && existing.CacheNodeType != spec.NodeType)
            yield return new("node type", existing.CacheNodeType, spec.NodeType, m => m.CacheNodeType = spec.NodeType);
        var failover = existing.AutomaticFailover is "enabled" or "enabling";
        if (failover != spec.Nodes > 1 && existing.MemberClusters?.Count == spec.Nodes)
            yield return new("automatic failover", failover ? "enabled" : "disabled", spec.Nodes > 1 ? "enabled" : "disabled", m =>
            {
                m.AutomaticFailoverEnabled = spec.Nodes > 1;
                m.MultiAZEnabled = spec.Nodes > 1;
            });
    }

    Task<ReplicationGroup?> DescribeAsync(CancellationToken ct) => ElastiCacheLookup.ReplicationGroupAsync(_cache, Id, ct);

    Task WaitAvailableAsync(CancellationToken ct) =>
        Waiting.UntilAsync(context, Resource, async token =>
        {
            var status = (await DescribeAsync(token))?.Status ?? "missing";
            return (status == "available", status);
        }, ct);
}
