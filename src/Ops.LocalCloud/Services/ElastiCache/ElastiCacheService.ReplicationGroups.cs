using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.LocalCloud.Services.ElastiCache;

internal sealed partial class ElastiCacheService
{
    static AwsError GroupNotFound(string id) => new("ReplicationGroupNotFoundFault", $"ReplicationGroup {id} not found.", 404);

    /// <summary>What ModifyReplicationGroup holds for the maintenance window unless ApplyImmediately.</summary>
    static readonly string[] GroupDeferred = ["CacheNodeType", "EngineVersion", "PrimaryClusterId", "AutomaticFailoverEnabled"];

    JsonNode? CreateReplicationGroup(JsonObject i, RequestContext c) =>
        Create(State.Groups, ElastiCacheRules.ReplicationGroupId(Identifiers.Required(i, "ReplicationGroupId")), i, c, "ReplicationGroupAlreadyExists", "ReplicationGroup", DescribeGroup);

    JsonNode? DescribeReplicationGroups(JsonObject i, RequestContext c) =>
        List(State.Groups, Optional(i, "ReplicationGroupId")?.ToLowerInvariant(), i, c, GroupNotFound, "ReplicationGroups", DescribeGroup);

    JsonNode? ModifyReplicationGroup(JsonObject i, RequestContext c) =>
        Modify(State.Groups, Required(i, "ReplicationGroupId").ToLowerInvariant(), i, c, GroupNotFound, "ReplicationGroup", DescribeGroup, GroupDeferred);

    JsonNode? DeleteReplicationGroup(JsonObject i, RequestContext c) =>
        Delete(State.Groups, Required(i, "ReplicationGroupId").ToLowerInvariant(), c, GroupNotFound, "ReplicationGroup", DescribeGroup);

    JsonObject DescribeGroup(string id, ElastiCacheResource r, RequestContext c) => new()
    {
        ["ReplicationGroupId"] = id,
        ["Description"] = r.Spec["ReplicationGroupDescription"]?.DeepClone(),
        ["Status"] = Status(r, c),
        ["CacheNodeType"] = r.Spec["CacheNodeType"]?.DeepClone(),
        ["AtRestEncryptionEnabled"] = r.Spec["AtRestEncryptionEnabled"]?.DeepClone() ?? false,
        ["TransitEncryptionEnabled"] = r.Spec["TransitEncryptionEnabled"]?.DeepClone() ?? false,
        ["MemberClusters"] = new JsonArray(Enumerable.Range(1, (int)(Number(r.Spec, "NumCacheClusters") ?? 1)).Select(n => (JsonNode?)$"{id}-{n:000}").ToArray()),
        ["ARN"] = c.Arn("elasticache", $"replicationgroup:{id}"),
        ["AuthTokenEnabled"] = r.Spec["AuthTokenEnabled"]?.DeepClone() ?? false,
        ["PendingModifiedValues"] = PendingOfGroup(r),
        ["NodeGroups"] = new JsonArray(new JsonObject
        {
            ["NodeGroupId"] = "0001",
            ["Status"] = Status(r, c),
            ["PrimaryEndpoint"] = new JsonObject { ["Address"] = Address(r, LocalCloudHosts.Simulated($"master.{id}")), ["Port"] = r.Spec["Port"]?.DeepClone() ?? 6379 },
        }),
    };

    /// <summary>The replication group's PendingModifiedValues: its own members of the held changes.</summary>
    static JsonObject PendingOfGroup(ElastiCacheResource r)
    {
        var o = r.Pending.Describe("PrimaryClusterId");
        if (r.Pending.Values["AutomaticFailoverEnabled"] is JsonValue failover) o["AutomaticFailoverStatus"] = failover.GetValue<bool>() ? "enabled" : "disabled";
        return o;
    }
}
