using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>One revision of a task definition family: the request it was registered with, and its status.</summary>
internal sealed class EcsTaskDefinition
{
    public int Revision { get; set; }
    public string Status { get; set; } = "ACTIVE";
    public JsonObject Spec { get; set; } = new();
    public DateTimeOffset Registered { get; set; }
}
