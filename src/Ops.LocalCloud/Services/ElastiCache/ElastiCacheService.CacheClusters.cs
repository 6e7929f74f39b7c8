using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services;

internal sealed partial class ElastiCacheService
{
    static AwsError ClusterNotFound(string id) => new("CacheClusterNotFound", $"CacheCluster {id} not found.", 404);

    JsonNode? CreateCacheCluster(JsonObject i, RequestContext c) =>
        Create(State.Clusters, Required(i, "CacheClusterId"), i, c, "CacheClusterAlreadyExists", "CacheCluster", DescribeCluster);

    JsonNode? DescribeCacheClusters(JsonObject i, RequestContext c) =>
        List(State.Clusters, Optional(i, "CacheClusterId"), i, c, ClusterNotFound, "CacheClusters", DescribeCluster);

    JsonNode? ModifyCacheCluster(JsonObject i, RequestContext c) =>
        Modify(State.Clusters, Required(i, "CacheClusterId"), i, c, ClusterNotFound, "CacheCluster", DescribeCluster);

    JsonNode? DeleteCacheCluster(JsonObject i, RequestContext c) =>
        Delete(State.Clusters, Required(i, "CacheClusterId"), c, ClusterNotFound, "CacheCluster", DescribeCluster);

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
        ["ConfigurationEndpoint"] = new JsonObject { ["Address"] = Address(r, $"{id}.local-cloud.internal"), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        ["CacheNodes"] = new JsonArray(new JsonObject
        {
            ["CacheNodeId"] = "0001", ["CacheNodeStatus"] = Status(r, c),
            ["Endpoint"] = new JsonObject { ["Address"] = Address(r, $"{id}.local-cloud.internal"), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        }),
    };
}
