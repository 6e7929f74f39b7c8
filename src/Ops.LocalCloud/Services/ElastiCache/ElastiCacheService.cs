using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>ElastiCache: cache clusters and replication groups (creating → available; modifying; deleting), subnet groups, tags.</summary>
internal sealed partial class ElastiCacheService : ServiceHandler<ElastiCacheState>
{
    readonly TimeSpan _delay;
    readonly ICacheBackend? _backend;
    public override string Name => "elasticache";

    public ElastiCacheService(StateStore store, LifecycleDelays delays, ICacheBackend? backend = null) : base(store)
    {
        _delay = delays.Cache;
        _backend = backend;
        On("CreateCacheCluster", CreateCacheCluster);
        On("DescribeCacheClusters", DescribeCacheClusters);
        On("ModifyCacheCluster", ModifyCacheCluster);
        On("DeleteCacheCluster", DeleteCacheCluster);
        On("CreateReplicationGroup", CreateReplicationGroup);
        On("DescribeReplicationGroups", DescribeReplicationGroups);
        On("ModifyReplicationGroup", ModifyReplicationGroup);
        On("DeleteReplicationGroup", DeleteReplicationGroup);
        ServeSubnetGroups("Cache", "CacheSubnetGroupDescription", s => s.SubnetGroups);
        On("AddTagsToResource", AddTagsToResource);
    }

    JsonNode? AddTagsToResource(JsonObject i, RequestContext c) => Write(() =>
    {
        var map = TagsOf(State.Tags, Required(i, "ResourceName"));
        MergeTags(map, i["Tags"]);
        return new JsonObject { ["TagList"] = TagList.Of(map) };
    });

    // Clusters and replication groups share one life: these run it for either set, named by its wire member.
    JsonNode? Create(SortedDictionary<string, ElastiCacheResource> set, string id, JsonObject i, RequestContext c, string exists, string member, Func<string, ElastiCacheResource, RequestContext, JsonObject> describe) => Write(() =>
    {
        Sweep(set, c.Now);
        if (set.ContainsKey(id)) throw new AwsError(exists, $"{member} {id} already exists.");
        var spec = i.DeepClone().AsObject();
        if (_backend?.Provision(id) is { } endpoint)
        {
            spec["LocalAddress"] = endpoint.Address;
            spec["Port"] = endpoint.Port;
        }
        set[id] = new ElastiCacheResource { Spec = spec, Life = new Lifecycle { Created = c.Now } };
        return new JsonObject { [member] = describe(id, set[id], c) };
    });

    JsonNode? List(SortedDictionary<string, ElastiCacheResource> set, string? id, JsonObject i, RequestContext c, Func<string, AwsError> notFound, string member, Func<string, ElastiCacheResource, RequestContext, JsonObject> describe) => Read(() =>
    {
        Sweep(set, c.Now);
        if (id != null && !set.ContainsKey(id)) throw notFound(id);
        return Paginate(i, set.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)describe(kv.Key, kv.Value, c)), member, "Marker", "MaxRecords", 100);
    });

    JsonNode? Modify(SortedDictionary<string, ElastiCacheResource> set, string id, JsonObject i, RequestContext c, Func<string, AwsError> notFound, string member, Func<string, ElastiCacheResource, RequestContext, JsonObject> describe) => Write(() =>
    {
        Sweep(set, c.Now);
        if (!set.TryGetValue(id, out var r) || r.Life.Deleted != null) throw notFound(id);
        foreach (var (k, v) in i) if (k != "ApplyImmediately") r.Spec[k] = v?.DeepClone();
        r.Life.Modified = c.Now;
        return new JsonObject { [member] = describe(id, r, c) };
    });

    JsonNode? Delete(SortedDictionary<string, ElastiCacheResource> set, string id, RequestContext c, Func<string, AwsError> notFound, string member, Func<string, ElastiCacheResource, RequestContext, JsonObject> describe) => Write(() =>
    {
        Sweep(set, c.Now);
        if (!set.TryGetValue(id, out var r) || r.Life.Deleted != null) throw notFound(id);
        r.Life.Deleted = c.Now;
        return new JsonObject { [member] = describe(id, r, c) };
    });

    /// <summary>Removes resources whose deletion has run its course (and their backends).</summary>
    void Sweep(SortedDictionary<string, ElastiCacheResource> set, DateTimeOffset now)
    {
        foreach (var gone in set.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList())
        {
            set.Remove(gone);
            _backend?.Deprovision(gone);
        }
    }

    static string Address(ElastiCacheResource r, string fallback) => (string?)r.Spec["LocalAddress"] ?? fallback;

    string Status(ElastiCacheResource r, RequestContext c) => r.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting");
}
