using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.LocalCloud.Services.ElastiCache;

internal sealed partial class ElastiCacheService
{
    static AwsError ClusterNotFound(string id) => new("CacheClusterNotFound", $"CacheCluster {id} not found.", 404);

    /// <summary>What ModifyCacheCluster holds for the maintenance window unless ApplyImmediately.</summary>
    static readonly string[] ClusterDeferred = ["NumCacheNodes", "CacheNodeType", "EngineVersion"];

    JsonNode? CreateCacheCluster(JsonObject i, RequestContext c) =>
        Create(State.Clusters, ElastiCacheRules.CacheClusterId(Identifiers.Required(i, "CacheClusterId")), i, c, "CacheClusterAlreadyExists", "CacheCluster", DescribeCluster);

    /// <summary>
    /// Standalone clusters and, as on AWS, the member clusters of every replication group (<c>&lt;group&gt;-001</c>…);
    /// node endpoints only with ShowCacheNodeInfo.
    /// </summary>
    JsonNode? DescribeCacheClusters(JsonObject i, RequestContext c) => Read(() =>
    {
        Sweep(State.Clusters, c.Now);
        Sweep(State.Groups, c.Now);
        var id = Optional(i, "CacheClusterId")?.ToLowerInvariant();
        var nodes = Flag(i, "ShowCacheNodeInfo");
        var all = State.Clusters.Select(kv => (kv.Key, View: DescribeCluster(kv.Key, kv.Value, c)))
            .Concat(State.Groups.SelectMany(g => MemberClusters(g.Key, g.Value, c)))
            .Where(x => id == null || x.Key == id)
            .OrderBy(x => x.Key, StringComparer.Ordinal)
            .ToList();
        if (id != null && all.Count == 0) throw ClusterNotFound(id);
        if (!nodes) foreach (var (_, view) in all) view.Remove("CacheNodes");
        return Paginate(i, all.Select(x => (JsonNode?)x.View), "CacheClusters", "Marker", "MaxRecords", 100);
    });

    /// <summary>A replication group's member clusters as DescribeCacheClusters shows them: each one node of the group's Redis.</summary>
    IEnumerable<(string Key, JsonObject View)> MemberClusters(string groupId, ElastiCacheResource g, RequestContext c)
    {
        var count = (int)(Number(g.Spec, "NumCacheClusters") ?? 1);
        for (var n = 1; n <= count; n++)
        {
            var id = $"{groupId}-{n:000}";
            var view = DescribeCluster(id, g, c);
            view["ReplicationGroupId"] = groupId;
            view["NumCacheNodes"] = 1;
            view.Remove("ConfigurationEndpoint");
            view["CacheNodes"] = new JsonArray(new JsonObject
            {
                ["CacheNodeId"] = "0001",
                ["CacheNodeStatus"] = Status(g, c),
                ["Endpoint"] = new JsonObject { ["Address"] = Address(g, LocalCloudHosts.Simulated($"{id}.{groupId}")), ["Port"] = g.Spec["Port"]?.DeepClone() ?? 6379 },
            });
            yield return (id, view);
        }
    }

    JsonNode? ModifyCacheCluster(JsonObject i, RequestContext c) =>
        Modify(State.Clusters, Required(i, "CacheClusterId").ToLowerInvariant(), i, c, ClusterNotFound, "CacheCluster", DescribeCluster, ClusterDeferred);

    JsonNode? DeleteCacheCluster(JsonObject i, RequestContext c) =>
        Delete(State.Clusters, Required(i, "CacheClusterId").ToLowerInvariant(), c, ClusterNotFound, "CacheCluster", DescribeCluster);

    JsonObject DescribeCluster(string id, ElastiCacheResource r, RequestContext c) => new()
    {
        ["CacheClusterId"] = id,
        ["CacheNodeType"] = r.Spec["CacheNodeType"]?.DeepClone(),
        ["Engine"] = r.Spec["Engine"]?.DeepClone() ?? "redis",
        ["EngineVersion"] = r.Spec["EngineVersion"]?.DeepClone() ?? "7.1",
        ["CacheClusterStatus"] = Status(r, c),
        ["NumCacheNodes"] = r.Spec["NumCacheNodes"]?.DeepClone() ?? 1,
        ["CacheClusterCreateTime"] = r.Life.Created.ToString("O"),
        ["CacheSubnetGroupName"] = r.Spec["CacheSubnetGroupName"]?.DeepClone(),
        ["ReplicationGroupId"] = r.Spec["ReplicationGroupId"]?.DeepClone(),
        ["ARN"] = c.Arn("elasticache", $"cluster:{id}"),
        ["SnapshotRetentionLimit"] = r.Spec["SnapshotRetentionLimit"]?.DeepClone(),
        ["TransitEncryptionEnabled"] = r.Spec["TransitEncryptionEnabled"]?.DeepClone() ?? false,
        ["AuthTokenEnabled"] = r.Spec["AuthTokenEnabled"]?.DeepClone() ?? false,
        ["PendingModifiedValues"] = r.Pending.Describe(ClusterDeferred),
        ["ConfigurationEndpoint"] = new JsonObject { ["Address"] = Address(r, LocalCloudHosts.Simulated($"{id}")), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        ["CacheNodes"] = new JsonArray(new JsonObject
        {
            ["CacheNodeId"] = "0001",
            ["CacheNodeStatus"] = Status(r, c),
            ["Endpoint"] = new JsonObject { ["Address"] = Address(r, LocalCloudHosts.Simulated($"{id}")), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        }),
    };
}
