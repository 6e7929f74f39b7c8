using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Rds;

/// <summary>One DB snapshot: what it was taken of and its lifecycle.</summary>
internal sealed class RdsSnapshot
{
    public JsonObject Spec { get; set; } = new();
    public Lifecycle Life { get; set; } = new();
}
