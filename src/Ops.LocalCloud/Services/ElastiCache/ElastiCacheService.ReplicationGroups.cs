using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services;

internal sealed partial class ElastiCacheService
{
    static AwsError GroupNotFound(string id) => new("ReplicationGroupNotFoundFault", $"ReplicationGroup {id} not found.", 404);

    JsonNode? CreateReplicationGroup(JsonObject i, RequestContext c) =>
        Create(State.Groups, Required(i, "ReplicationGroupId"), i, c, "ReplicationGroupAlreadyExists", "ReplicationGroup", DescribeGroup);

    JsonNode? DescribeReplicationGroups(JsonObject i, RequestContext c) =>
        List(State.Groups, Optional(i, "ReplicationGroupId"), i, c, GroupNotFound, "ReplicationGroups", DescribeGroup);

    JsonNode? ModifyReplicationGroup(JsonObject i, RequestContext c) =>
        Modify(State.Groups, Required(i, "ReplicationGroupId"), i, c, GroupNotFound, "ReplicationGroup", DescribeGroup);

    JsonNode? DeleteReplicationGroup(JsonObject i, RequestContext c) =>
        Delete(State.Groups, Required(i, "ReplicationGroupId"), c, GroupNotFound, "ReplicationGroup", DescribeGroup);

    JsonObject DescribeGroup(string id, ElastiCacheResource r, RequestContext c) => new()
    {
        ["ReplicationGroupId"] = id,
        ["Description"] = r.Spec["ReplicationGroupDescription"]?.DeepClone(),
        ["Status"] = Status(r, c),
        ["CacheNodeType"] = r.Spec["CacheNodeType"]?.DeepClone(),
        ["AtRestEncryptionEnabled"] = r.Spec["AtRestEncryptionEnabled"]?.DeepClone() ?? false,
        ["TransitEncryptionEnabled"] = r.Spec["TransitEncryptionEnabled"]?.DeepClone() ?? false,
        ["MemberClusters"] = new JsonArray(Enumerable.Range(1, (int)(Number(r.Spec, "NumCacheClusters") ?? 1)).Select(n => (JsonNode?)$"{id}-00{n}").ToArray()),
        ["ARN"] = c.Arn("elasticache", $"replicationgroup:{id}"),
        ["NodeGroups"] = new JsonArray(new JsonObject
        {
            ["NodeGroupId"] = "0001", ["Status"] = Status(r, c),
            ["PrimaryEndpoint"] = new JsonObject { ["Address"] = Address(r, $"master.{id}.local-cloud.internal"), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        }),
    };
}
