using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>Redshift: clusters (creating → available; modifying; deleting), subnet groups, tags.</summary>
internal sealed class RedshiftService : ServiceHandler<RedshiftService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Cluster> Clusters { get; set; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, JsonObject> SubnetGroups { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
    }

    public sealed class Cluster
    {
        public JsonObject Spec { get; set; } = new();
        public Lifecycle Life { get; set; } = new();
    }

    readonly TimeSpan _delay;
    public override string Name => "redshift";

    public RedshiftService(StateStore store, LifecycleDelays delays) : base(store)
    {
        _delay = delays.Warehouse;
        On("CreateCluster", (i, c) =>
        {
            var id = Required(i, "ClusterIdentifier");
            lock (Gate)
            {
                Sweep(c.Now);
                if (State.Clusters.ContainsKey(id)) throw new AwsError("ClusterAlreadyExists", "Cluster already exists");
                var spec = i.DeepClone().AsObject();
                spec.Remove("MasterUserPassword");
                State.Clusters[id] = new Cluster { Spec = spec, Life = new Lifecycle { Created = c.Now } };
                Persist();
                return new JsonObject { ["Cluster"] = Describe(id, State.Clusters[id], c) };
            }
        });
        On("DescribeClusters", (i, c) =>
        {
            lock (Gate)
            {
                Sweep(c.Now);
                var id = Optional(i, "ClusterIdentifier");
                if (id != null && !State.Clusters.ContainsKey(id)) throw NotFound(id);
                return Paginate(i, State.Clusters.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)Describe(kv.Key, kv.Value, c)).ToList(), "Clusters", "Marker", "MaxRecords", 100);
            }
        });
        On("ModifyCluster", (i, c) => Change(i, c, (id, cl) =>
        {
            foreach (var (k, v) in i) if (k is not ("ClusterIdentifier" or "MasterUserPassword")) cl.Spec[k] = v?.DeepClone();
            cl.Life.Modified = c.Now;
            return new JsonObject { ["Cluster"] = Describe(id, cl, c) };
        }));
        On("DeleteCluster", (i, c) => Change(i, c, (id, cl) =>
        {
            if (!Flag(i, "SkipFinalClusterSnapshot") && Optional(i, "FinalClusterSnapshotIdentifier") == null)
                throw new AwsError("InvalidParameterCombination", "FinalClusterSnapshotIdentifier is required unless SkipFinalClusterSnapshot is true.");
            cl.Life.Deleted = c.Now;
            return new JsonObject { ["Cluster"] = Describe(id, cl, c) };
        }));
        ServeSubnetGroups("Cluster", "Description", s => s.SubnetGroups);
        On("CreateTags", (i, _) =>
        {
            lock (Gate)
            {
                MergeTags(TagsOf(State.Tags, Required(i, "ResourceName")), i["Tags"]);
                Persist();
                return new JsonObject();
            }
        });
    }

    static AwsError NotFound(string id) => new("ClusterNotFound", $"Cluster {id} not found.", 404);

    JsonNode? Change(JsonObject i, RequestContext c, Func<string, Cluster, JsonNode?> change)
    {
        lock (Gate)
        {
            Sweep(c.Now);
            var id = Required(i, "ClusterIdentifier");
            if (!State.Clusters.TryGetValue(id, out var cl) || cl.Life.Deleted != null) throw NotFound(id);
            var result = change(id, cl);
            Persist();
            return result;
        }
    }

    void Sweep(DateTimeOffset now)
    {
        foreach (var gone in State.Clusters.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList()) State.Clusters.Remove(gone);
    }

    JsonObject Describe(string id, Cluster cl, RequestContext c) => new()
    {
        ["ClusterIdentifier"] = id,
        ["NodeType"] = cl.Spec["NodeType"]?.DeepClone(),
        ["ClusterStatus"] = cl.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting"),
        ["MasterUsername"] = cl.Spec["MasterUsername"]?.DeepClone(),
        ["DBName"] = cl.Spec["DBName"]?.DeepClone() ?? "dev",
        ["Encrypted"] = cl.Spec["Encrypted"]?.DeepClone() ?? false,
        ["NumberOfNodes"] = cl.Spec["NumberOfNodes"]?.DeepClone() ?? 1,
        ["AutomatedSnapshotRetentionPeriod"] = cl.Spec["AutomatedSnapshotRetentionPeriod"]?.DeepClone() ?? 1,
        ["ClusterSubnetGroupName"] = cl.Spec["ClusterSubnetGroupName"]?.DeepClone(),
        ["ClusterCreateTime"] = cl.Life.Created.ToString("O"),
        ["Endpoint"] = new JsonObject { ["Address"] = $"{id}.local-cloud.internal", ["Port"] = cl.Spec["Port"]?.DeepClone() ?? 5439 },
        ["ClusterNamespaceArn"] = c.Arn("redshift", $"namespace:{id}"),
        ["Tags"] = RdsService.TagList(State.Tags.GetValueOrDefault(c.Arn("redshift", $"cluster:{id}"))),
    };
}
