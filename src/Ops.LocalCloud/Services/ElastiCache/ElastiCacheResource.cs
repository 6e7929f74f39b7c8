using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElastiCache;

/// <summary>One cache cluster or replication group: its create input (never its AUTH token) and its lifecycle.</summary>
internal sealed class ElastiCacheResource
{
    public JsonObject Spec { get; set; } = new();
    public Lifecycle Life { get; set; } = new();

    public PendingChanges Pending { get; set; } = new();
}
