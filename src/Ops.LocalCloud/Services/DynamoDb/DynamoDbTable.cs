using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.DynamoDb;

/// <summary>One table: its create input (key schema, indexes, billing), when it was made, and its items by primary key.</summary>
internal sealed class DynamoDbTable
{
    public JsonObject Spec { get; set; } = new();
    public DateTimeOffset Created { get; set; }

    /// <summary>The TableId, fixed at create.</summary>
    public string? TableId { get; set; }
    public SortedDictionary<string, JsonObject> Items { get; set; } = new(StringComparer.Ordinal);
}
