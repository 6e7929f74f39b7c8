using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Rds;

/// <summary>What RDS keeps between runs: DB instances, snapshots and subnet groups by identifier, tags by ARN.</summary>
internal sealed class RdsState
{
    public SortedDictionary<string, RdsInstance> Instances { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, RdsSnapshot> Snapshots { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, JsonObject> SubnetGroups { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
}
