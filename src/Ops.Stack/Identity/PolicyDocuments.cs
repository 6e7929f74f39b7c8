using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ops.Stack.Identity;

/// <summary>Policy documents as IAM stores them: built from statements, read back (URL-encoded or not), compared by meaning.</summary>
public static class PolicyDocuments
{
    public static JsonObject Of(IEnumerable<IamStatement> statements) => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(statements.Select(s => (JsonNode?)s.ToJson()).ToArray()),
    };

    /// <summary>AWS's limit for one customer managed policy, in characters without whitespace.</summary>
    public const int ManagedPolicyLimit = 6144;

    /// <summary>AWS's limit for all inline policies of one role together.</summary>
    public const int RoleInlineLimit = 10240;

    /// <summary>The statements in as few documents as keep each within <paramref name="limit"/> characters (in order; a statement is never split).</summary>
    public static IReadOnlyList<JsonObject> Pack(IEnumerable<IamStatement> statements, int limit)
    {
        var documents = new List<List<IamStatement>> { new() };
        foreach (var statement in statements)
        {
            if (documents[^1].Count > 0 && Text(Of([.. documents[^1], statement])).Length > limit) documents.Add([]);
            documents[^1].Add(statement);
        }
        return documents.Select(Of).ToList();
    }

    /// <summary>The compact text Ops puts (what counts against IAM's size limits).</summary>
    public static string Text(JsonObject document) => document.ToJsonString();

    /// <summary>A document as IAM answers it: URL-encoded on the wire (AWS, moto and the local cloud alike), plain from some clients.</summary>
    public static JsonNode? Read(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        foreach (var candidate in new[] { text, Uri.UnescapeDataString(text) })
            try
            {
                return JsonNode.Parse(candidate);
            }
            catch (JsonException)
            {
            }
        return null;
    }

    /// <summary>
    /// Whether two documents say the same: equal after normalizing what IAM treats as equal — a one-element list and
    /// its element, the order of a list of actions or resources, and the order of keys.
    /// </summary>
    public static bool Same(JsonNode? a, JsonNode? b) => Normal(a) == Normal(b);

    static string Normal(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{JsonSerializer.Serialize(p.Key)}:{Normal(p.Value)}")) + "}",
        JsonArray a when a.Count == 1 => Normal(a[0]),
        JsonArray a when a.All(x => x is JsonValue) => "[" + string.Join(",", a.Select(Normal).Order(StringComparer.Ordinal)) + "]",
        JsonArray a => "[" + string.Join(",", a.Select(Normal)) + "]",
        _ => node.ToJsonString(),
    };
}
