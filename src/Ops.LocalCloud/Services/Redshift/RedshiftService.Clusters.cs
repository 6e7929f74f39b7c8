using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.LocalCloud.Services.Redshift;

internal sealed partial class RedshiftService
{
    static AwsError NotFound(string id) => new("ClusterNotFound", $"Cluster {id} not found.", 404);

    JsonNode? CreateCluster(JsonObject i, RequestContext c) => Write(() =>
    {
        var id = RedshiftRules.CreateCluster(i);
        Sweep(c.Now);
        if (State.Clusters.ContainsKey(id)) throw new AwsError("ClusterAlreadyExists", "Cluster already exists");
        var spec = i.DeepClone().AsObject();
        spec.Remove("MasterUserPassword");
        spec.Remove("Tags");
        if (_backend?.Provision(id, "redshift", Optional(i, "MasterUsername"), Optional(i, "MasterUserPassword"), Optional(i, "DBName") ?? "dev") is { } endpoint)
        {
            spec["LocalAddress"] = endpoint.Address;
            spec["Port"] = endpoint.Port;
        }
        if (spec["ClusterSubnetGroupName"] is JsonValue group) spec["ClusterSubnetGroupName"] = ((string)group!).ToLowerInvariant();
        State.Clusters[id] = new RedshiftCluster { Spec = spec, Life = new Lifecycle { Created = c.Now } };
        if (i["Tags"] is JsonArray tags) MergeTags(TagsOf(State.Tags, c.Arn("redshift", $"cluster:{id}")), tags);
        return new JsonObject { ["Cluster"] = Describe(id, State.Clusters[id], c) };
    });

    JsonNode? DescribeClusters(JsonObject i, RequestContext c) => Read(() =>
    {
        Sweep(c.Now);
        var id = Optional(i, "ClusterIdentifier")?.ToLowerInvariant();
        if (id != null && !State.Clusters.ContainsKey(id)) throw NotFound(id);
        return Paginate(i, State.Clusters.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)Describe(kv.Key, kv.Value, c)).ToList(), "Clusters", "Marker", "MaxRecords",
            100);
    });

    /// <summary>What a ModifyCluster changes only when its modification completes (shown pending meanwhile); the rest applies at once.</summary>
    static readonly string[] Resize = ["NodeType", "NumberOfNodes", "ClusterType", "ClusterVersion", "PubliclyAccessible", "EnhancedVpcRouting", "MaintenanceTrackName"];

    JsonNode? ModifyCluster(JsonObject i, RequestContext c) => Change(i, c, (id, cl) =>
    {
        if (Optional(i, "MasterUserPassword") is { } password)
        {
            RedshiftRules.Password(password);
            _backend?.SetPassword(id, password);
        }
        if (Optional(i, "NewClusterIdentifier") is { } newId) RedshiftRules.ClusterIdentifier(newId, "NewClusterIdentifier");
        foreach (var (k, v) in i)
        {
            if (k is "ClusterIdentifier" or "MasterUserPassword" or "NewClusterIdentifier") continue;
            if (Resize.Contains(k)) cl.Pending.Hold(k, v);
            else cl.Spec[k] = v?.DeepClone();
        }
        cl.Life.Modified = c.Now;
        cl.Pending.AppliesAt = c.Now + _delay;
        cl.Pending.ApplyIfDue(cl.Spec, c.Now);
        return new JsonObject { ["Cluster"] = Describe(id, cl, c) };
    });

    JsonNode? DeleteCluster(JsonObject i, RequestContext c) => Change(i, c, (id, cl) =>
    {
        if (Optional(i, "FinalClusterSnapshotIdentifier") is { } final) RedshiftRules.SnapshotIdentifier(final, "FinalClusterSnapshotIdentifier");
        if (!Flag(i, "SkipFinalClusterSnapshot") && Optional(i, "FinalClusterSnapshotIdentifier") == null)
            throw new AwsError("InvalidParameterCombination", "FinalClusterSnapshotIdentifier is required unless SkipFinalClusterSnapshot is true.");
        if (!Flag(i, "SkipFinalClusterSnapshot")) cl.Spec["LocalFinalSnapshot"] = Optional(i, "FinalClusterSnapshotIdentifier");
        cl.Life.Deleted = c.Now;
        return new JsonObject { ["Cluster"] = Describe(id, cl, c) };
    });

    /// <summary>A change to one live cluster, named by ClusterIdentifier, under the lock; persisted.</summary>
    JsonNode? Change(JsonObject i, RequestContext c, Func<string, RedshiftCluster, JsonNode?> change) => Write(() =>
    {
        Sweep(c.Now);
        var id = Required(i, "ClusterIdentifier").ToLowerInvariant();
        if (!State.Clusters.TryGetValue(id, out var cl) || cl.Life.Deleted != null) throw NotFound(id);
        return change(id, cl);
    });

    JsonObject Describe(string id, RedshiftCluster cl, RequestContext c) => new()
    {
        ["ClusterIdentifier"] = id,
        ["NodeType"] = cl.Spec["NodeType"]?.DeepClone(),
        ["ClusterStatus"] = cl.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting") is "available" && _backend?.Pending(id) is { } pending
            ? pending : cl.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting"),
        ["MasterUsername"] = cl.Spec["MasterUsername"]?.DeepClone(),
        ["DBName"] = cl.Spec["DBName"]?.DeepClone() ?? "dev",
        ["Encrypted"] = cl.Spec["Encrypted"]?.DeepClone() ?? false,
        ["NumberOfNodes"] = cl.Spec["NumberOfNodes"]?.DeepClone() ?? 1,
        ["AutomatedSnapshotRetentionPeriod"] = cl.Spec["AutomatedSnapshotRetentionPeriod"]?.DeepClone() ?? 1,
        ["ClusterSubnetGroupName"] = cl.Spec["ClusterSubnetGroupName"]?.DeepClone(),
        // New clusters have not been publicly accessible by default since 2025.
        ["PubliclyAccessible"] = cl.Spec["PubliclyAccessible"]?.DeepClone() ?? false,
        ["VpcSecurityGroups"] = new JsonArray(Strings(cl.Spec, "VpcSecurityGroupIds").Select(g => (JsonNode?)new JsonObject { ["VpcSecurityGroupId"] = g, ["Status"] = "active" }).ToArray()),
        ["ClusterCreateTime"] = cl.Life.Created.ToString("O"),
        ["Endpoint"] = new JsonObject { ["Address"] = (string?)cl.Spec["LocalAddress"] ?? LocalCloudHosts.Simulated($"{id}"), ["Port"] = cl.Spec["Port"]?.DeepClone() ?? 5439 },
        ["ClusterNamespaceArn"] = c.Arn("redshift", $"namespace:{id}"),
        ["PendingModifiedValues"] = cl.Pending.Describe(Resize),
        ["Tags"] = TagList.Of(State.Tags.GetValueOrDefault(c.Arn("redshift", $"cluster:{id}"))),
    };
}
