using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Redshift;

/// <summary>One Redshift cluster: the create input as sent (without the password) and its lifecycle.</summary>
internal sealed class RedshiftCluster
{
    public JsonObject Spec { get; set; } = new();
    public Lifecycle Life { get; set; } = new();

    /// <summary>A resize in progress: shown as PendingModifiedValues while the cluster is modifying.</summary>
    public PendingChanges Pending { get; set; } = new();
}
