using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>ElastiCache: cache clusters and replication groups (creating → available; modifying; deleting), subnet groups, tags.</summary>
internal sealed class ElastiCacheService : ServiceHandler<ElastiCacheService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Resource> Clusters { get; set; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, Resource> Groups { get; set; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, JsonObject> SubnetGroups { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
    }

    public sealed class Resource
    {
        public JsonObject Spec { get; set; } = new();
        public Lifecycle Life { get; set; } = new();
    }

    readonly TimeSpan _delay;
    readonly ICacheBackend? _backend;
    public override string Name => "elasticache";

    public ElastiCacheService(StateStore store, LifecycleDelays delays, ICacheBackend? backend = null) : base(store)
    {
        _delay = delays.Cache;
        _backend = backend;
        On("CreateCacheCluster", (i, c) => Create(State.Clusters, Required(i, "CacheClusterId"), i, c, "CacheClusterAlreadyExists", "CacheCluster", DescribeCluster));
        On("CreateReplicationGroup", (i, c) => Create(State.Groups, Required(i, "ReplicationGroupId"), i, c, "ReplicationGroupAlreadyExists", "ReplicationGroup", DescribeGroup));
        On("DescribeCacheClusters", (i, c) => List(State.Clusters, Optional(i, "CacheClusterId"), i, c, ClusterNotFound, "CacheClusters", DescribeCluster));
        On("DescribeReplicationGroups", (i, c) => List(State.Groups, Optional(i, "ReplicationGroupId"), i, c, GroupNotFound, "ReplicationGroups", DescribeGroup));
        On("ModifyCacheCluster", (i, c) => Modify(State.Clusters, Required(i, "CacheClusterId"), i, c, ClusterNotFound, "CacheCluster", DescribeCluster));
        On("ModifyReplicationGroup", (i, c) => Modify(State.Groups, Required(i, "ReplicationGroupId"), i, c, GroupNotFound, "ReplicationGroup", DescribeGroup));
        On("DeleteCacheCluster", (i, c) => Delete(State.Clusters, Required(i, "CacheClusterId"), c, ClusterNotFound, "CacheCluster", DescribeCluster));
        On("DeleteReplicationGroup", (i, c) => Delete(State.Groups, Required(i, "ReplicationGroupId"), c, GroupNotFound, "ReplicationGroup", DescribeGroup));
        ServeSubnetGroups("Cache", "CacheSubnetGroupDescription", s => s.SubnetGroups);
        On("AddTagsToResource", (i, _) =>
        {
            lock (Gate)
            {
                var map = TagsOf(State.Tags, Required(i, "ResourceName"));
                MergeTags(map, i["Tags"]);
                Persist();
                return new JsonObject { ["TagList"] = RdsService.TagList(map) };
            }
        });
    }

    static AwsError ClusterNotFound(string id) => new("CacheClusterNotFound", $"CacheCluster {id} not found.", 404);
    static AwsError GroupNotFound(string id) => new("ReplicationGroupNotFoundFault", $"ReplicationGroup {id} not found.", 404);

    JsonNode? Create(SortedDictionary<string, Resource> set, string id, JsonObject i, RequestContext c, string exists, string member, Func<string, Resource, RequestContext, JsonObject> describe)
    {
        lock (Gate)
        {
            Sweep(set, c.Now);
            if (set.ContainsKey(id)) throw new AwsError(exists, $"{member} {id} already exists.");
            var spec = i.DeepClone().AsObject();
            if (_backend?.Provision(id) is { } endpoint)
            {
                spec["LocalAddress"] = endpoint.Address;
                spec["Port"] = endpoint.Port;
            }
            set[id] = new Resource { Spec = spec, Life = new Lifecycle { Created = c.Now } };
            Persist();
            return new JsonObject { [member] = describe(id, set[id], c) };
        }
    }

    JsonNode? List(SortedDictionary<string, Resource> set, string? id, JsonObject i, RequestContext c, Func<string, AwsError> notFound, string member, Func<string, Resource, RequestContext, JsonObject> describe)
    {
        lock (Gate)
        {
            Sweep(set, c.Now);
            if (id != null && !set.ContainsKey(id)) throw notFound(id);
            return Paginate(i, set.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)describe(kv.Key, kv.Value, c)), member, "Marker", "MaxRecords", 100);
        }
    }

    JsonNode? Modify(SortedDictionary<string, Resource> set, string id, JsonObject i, RequestContext c, Func<string, AwsError> notFound, string member, Func<string, Resource, RequestContext, JsonObject> describe)
    {
        lock (Gate)
        {
            Sweep(set, c.Now);
            if (!set.TryGetValue(id, out var r) || r.Life.Deleted != null) throw notFound(id);
            foreach (var (k, v) in i) if (k != "ApplyImmediately") r.Spec[k] = v?.DeepClone();
            r.Life.Modified = c.Now;
            Persist();
            return new JsonObject { [member] = describe(id, r, c) };
        }
    }

    JsonNode? Delete(SortedDictionary<string, Resource> set, string id, RequestContext c, Func<string, AwsError> notFound, string member, Func<string, Resource, RequestContext, JsonObject> describe)
    {
        lock (Gate)
        {
            Sweep(set, c.Now);
            if (!set.TryGetValue(id, out var r) || r.Life.Deleted != null) throw notFound(id);
            r.Life.Deleted = c.Now;
            Persist();
            return new JsonObject { [member] = describe(id, r, c) };
        }
    }

    void Sweep(SortedDictionary<string, Resource> set, DateTimeOffset now)
    {
        foreach (var gone in set.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList())
        {
            set.Remove(gone);
            _backend?.Deprovision(gone);
        }
    }

    static string Address(Resource r, string fallback) => (string?)r.Spec["LocalAddress"] ?? fallback;

    string Status(Resource r, RequestContext c) => r.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting");

    JsonObject DescribeCluster(string id, Resource r, RequestContext c) => new()
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

    JsonObject DescribeGroup(string id, Resource r, RequestContext c) => new()
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
