using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.CloudFront;

/// <summary>One invalidation: its id, when it was created (its status follows from that), and the batch sent.</summary>
internal sealed class CloudFrontInvalidation
{
    public string Id { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public JsonObject Batch { get; set; } = new();
}
