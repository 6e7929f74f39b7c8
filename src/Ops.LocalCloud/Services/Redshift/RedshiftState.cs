using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Redshift;

/// <summary>What Redshift keeps between runs: clusters and subnet groups by identifier, tags by ARN.</summary>
internal sealed class RedshiftState
{
    public SortedDictionary<string, RedshiftCluster> Clusters { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, JsonObject> SubnetGroups { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
}
