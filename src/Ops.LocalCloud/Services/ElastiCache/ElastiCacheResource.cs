using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services;

/// <summary>One cache cluster or replication group: its create input and its lifecycle.</summary>
internal sealed class ElastiCacheResource
{
    public JsonObject Spec { get; set; } = new();
    public Lifecycle Life { get; set; } = new();
}
