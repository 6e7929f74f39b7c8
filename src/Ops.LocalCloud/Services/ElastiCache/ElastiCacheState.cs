using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElastiCache;

/// <summary>What ElastiCache keeps between runs: cache clusters, replication groups and subnet groups by id, tags by ARN.</summary>
internal sealed class ElastiCacheState
{
    public SortedDictionary<string, ElastiCacheResource> Clusters { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, ElastiCacheResource> Groups { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, JsonObject> SubnetGroups { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
}
