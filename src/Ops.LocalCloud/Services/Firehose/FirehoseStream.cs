using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Firehose;

/// <summary>A delivery stream: the request it was created with (passwords removed) and the records put into it (base64).</summary>
internal sealed class FirehoseStream
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "DirectPut";
    public DateTimeOffset Created { get; set; }
    public JsonObject Spec { get; set; } = new();
    public List<string> Records { get; set; } = [];
}
