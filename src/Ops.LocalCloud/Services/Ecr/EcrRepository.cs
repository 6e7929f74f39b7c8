using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecr;

/// <summary>One repository: its settings as created, lifecycle policy, tags and images.</summary>
internal sealed class EcrRepository
{
    public string Name { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public JsonObject Settings { get; set; } = new();
    public string? LifecyclePolicy { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
    public List<EcrImage> Images { get; set; } = [];
}
