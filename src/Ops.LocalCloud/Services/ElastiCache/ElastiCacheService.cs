using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.ElastiCache;

/// <summary>ElastiCache: cache clusters and replication groups (creating → available; modifying; deleting), subnet groups, tags.</summary>
internal sealed partial class ElastiCacheService : ServiceHandler<ElastiCacheState>, IResumesBackends
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
        ServeSubnetGroups("Cache", "CacheSubnetGroupDescription", s => s.SubnetGroups, ElastiCacheRules.SubnetGroupName);
        On("AddTagsToResource", AddTagsToResource);
    }

    JsonNode? AddTagsToResource(JsonObject i, RequestContext c) => Write(() =>
    {
        var arn = Required(i, "ResourceName");
        var (kind, id) = ArnParts(arn, "elasticache");
        var missing = kind switch
        {
            "cluster" when !State.Clusters.ContainsKey(id) => new AwsError("CacheClusterNotFound", $"CacheCluster {id} not found.", 404),
            "replicationgroup" when !State.Groups.ContainsKey(id) => new AwsError("ReplicationGroupNotFoundFault", $"ReplicationGroup {id} not found.", 404),
            "subnetgroup" when !State.SubnetGroups.ContainsKey(id) => new AwsError("CacheSubnetGroupNotFoundFault", $"CacheSubnetGroup {id} not found.", 404),
            "cluster" or "replicationgroup" or "subnetgroup" => null,
            _ => new AwsError("InvalidARN", $"The ARN {arn} is not a valid ElastiCache resource ARN."),
        };
        if (missing != null) throw missing;
        var map = TagsOf(State.Tags, arn);
        MergeTags(map, i["Tags"]);
        return new JsonObject { ["TagList"] = TagList.Of(map) };
    });

    // Clusters and replication groups share one life: these run it for either set, named by its wire member.
    JsonNode? Create(
        SortedDictionary<string, ElastiCacheResource> set, string id, JsonObject i, RequestContext c, string exists, string member,
        Func<string, ElastiCacheResource, RequestContext, JsonObject> describe) => Write(() =>
    {
        ElastiCacheRules.AuthToken(i);
        Sweep(set, c.Now);
        if (set.ContainsKey(id)) throw new AwsError(exists, $"{member} {id} already exists.");
        var spec = i.DeepClone().AsObject();
        if (spec.Remove("AuthToken")) spec["AuthTokenEnabled"] = true; // the token reaches the backend at most, never the state
        if (spec["CacheSubnetGroupName"] is JsonValue group) spec["CacheSubnetGroupName"] = ((string)group!).ToLowerInvariant();
        // Clusters and replication groups may share an id: the backend knows them apart by kind.
        var key = (member == "ReplicationGroup" ? "rg-" : "cc-") + id;
        if (_backend?.Provision(key, Optional(i, "AuthToken")) is { } endpoint)
        {
            spec["LocalBackendId"] = key;
            spec["LocalAddress"] = endpoint.Address;
            spec["Port"] = endpoint.Port;
        }
        set[id] = new ElastiCacheResource { Spec = spec, Life = new Lifecycle { Created = c.Now } };
        return new JsonObject { [member] = describe(id, set[id], c) };
    });

    JsonNode? List(
        SortedDictionary<string, ElastiCacheResource> set, string? id, JsonObject i, RequestContext c, Func<string, AwsError> notFound, string member,
        Func<string, ElastiCacheResource, RequestContext, JsonObject> describe) => Read(() =>
    {
        Sweep(set, c.Now);
        if (id != null && !set.ContainsKey(id)) throw notFound(id);
        return Paginate(i, set.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)describe(kv.Key, kv.Value, c)), member, "Marker", "MaxRecords", 100);
    });

    /// <summary>
    /// A modification: the <paramref name="deferred"/> members wait for the next maintenance window unless ApplyImmediately
    /// (then the resource is modifying for a step and everything pending takes effect); the rest applies at once.
    /// </summary>
    JsonNode? Modify(
        SortedDictionary<string, ElastiCacheResource> set, string id, JsonObject i, RequestContext c, Func<string, AwsError> notFound, string member,
        Func<string, ElastiCacheResource, RequestContext, JsonObject> describe, string[] deferred) => Write(() =>
    {
        Sweep(set, c.Now);
        if (!set.TryGetValue(id, out var r) || r.Life.Deleted != null) throw notFound(id);
        if (Optional(i, "AuthToken") is { } token) ElastiCacheRules.Token(token);
        var immediate = Flag(i, "ApplyImmediately");
        var changed = false;
        foreach (var (k, v) in i)
        {
            if (k is "ApplyImmediately" or "CacheClusterId" or "ReplicationGroupId" or "AuthToken" or "AuthTokenUpdateStrategy") continue;
            if (deferred.Contains(k)) r.Pending.Hold(k, v);
            else
            {
                r.Spec[k] = v?.DeepClone();
                changed = true;
            }
        }
        if (immediate)
        {
            r.Pending.AppliesAt = c.Now + _delay;
            r.Pending.ApplyIfDue(r.Spec, c.Now);
        }
        if (immediate || changed) r.Life.Modified = c.Now;
        return new JsonObject { [member] = describe(id, r, c) };
    });

    JsonNode? Delete(
        SortedDictionary<string, ElastiCacheResource> set, string id, RequestContext c, Func<string, AwsError> notFound, string member,
        Func<string, ElastiCacheResource, RequestContext, JsonObject> describe) => Write(() =>
    {
        Sweep(set, c.Now);
        if (!set.TryGetValue(id, out var r) || r.Life.Deleted != null) throw notFound(id);
        r.Life.Deleted = c.Now;
        return new JsonObject { [member] = describe(id, r, c) };
    });

    /// <summary>Removes resources whose deletion has run its course (and their backends).</summary>
    void Sweep(SortedDictionary<string, ElastiCacheResource> set, DateTimeOffset now)
    {
        foreach (var r in set.Values) r.Pending.ApplyIfDue(r.Spec, now);
        foreach (var gone in set.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList())
        {
            var key = (string?)set[gone].Spec["LocalBackendId"];
            set.Remove(gone);
            if (key != null) _backend?.Deprovision(key, null);
        }
    }

    static string Address(ElastiCacheResource r, string fallback) => (string?)r.Spec["LocalAddress"] ?? fallback;

    /// <summary>The lifecycle's status, held at the backend's while a real Redis is still starting (or has failed).</summary>
    string Status(ElastiCacheResource r, RequestContext c)
    {
        var status = r.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting");
        return status == "available" && (string?)r.Spec["LocalBackendId"] is { } key && _backend?.Pending(key) is { } pending ? pending : status;
    }

    /// <summary>Starts the real caches kept in the state (the local cloud restarted); their endpoints may move.</summary>
    public void ResumeBackends() => Write(() =>
    {
        if (_backend == null) return null;
        foreach (var r in State.Clusters.Values.Concat(State.Groups.Values).Where(r => r.Life.Deleted == null))
            if ((string?)r.Spec["LocalBackendId"] is { } key && _backend.Resume(key) is { } endpoint)
            {
                r.Spec["LocalAddress"] = endpoint.Address;
                r.Spec["Port"] = endpoint.Port;
            }
        return null;
    });
}
