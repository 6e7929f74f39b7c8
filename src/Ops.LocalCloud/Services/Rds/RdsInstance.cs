using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Rds;

/// <summary>One DB instance: the create input as sent (without the password) and its lifecycle.</summary>
internal sealed class RdsInstance
{
    public JsonObject Spec { get; set; } = new();
    public Lifecycle Life { get; set; } = new();

    /// <summary>The DbiResourceId, fixed at create.</summary>
    public string? ResourceId { get; set; }

    public PendingChanges Pending { get; set; } = new();
}
