using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElastiCache;

internal sealed partial class ElastiCacheService
{
    static AwsError ClusterNotFound(string id) => new("CacheClusterNotFound", $"CacheCluster {id} not found.", 404);

    /// <summary>What ModifyCacheCluster holds for the maintenance window unless ApplyImmediately.</summary>
    static readonly string[] ClusterDeferred = ["NumCacheNodes", "CacheNodeType", "EngineVersion"];

    JsonNode? CreateCacheCluster(JsonObject i, RequestContext c) =>
        Create(State.Clusters, ElastiCacheRules.CacheClusterId(Identifiers.Required(i, "CacheClusterId")), i, c, "CacheClusterAlreadyExists", "CacheCluster", DescribeCluster);

    JsonNode? DescribeCacheClusters(JsonObject i, RequestContext c) =>
        List(State.Clusters, Optional(i, "CacheClusterId")?.ToLowerInvariant(), i, c, ClusterNotFound, "CacheClusters", DescribeCluster);

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
        ["ConfigurationEndpoint"] = new JsonObject { ["Address"] = Address(r, $"{id}.local-cloud.internal"), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        ["CacheNodes"] = new JsonArray(new JsonObject
        {
            ["CacheNodeId"] = "0001", ["CacheNodeStatus"] = Status(r, c),
            ["Endpoint"] = new JsonObject { ["Address"] = Address(r, $"{id}.local-cloud.internal"), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        }),
    };
}
