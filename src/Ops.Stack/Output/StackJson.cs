using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Stack.Loading;
using Ops.Stack.Model;

namespace Ops.Stack.Output;

/// <summary>
/// A resolved stage as JSON: <c>stage</c>, then every field under the stack file's own kebab-case names (durations in
/// seconds), so the object minus <c>stage</c> is a valid stage section of a stack file.
/// </summary>
public static class StackJson
{
    /// <summary>The stage's JSON object.</summary>
    public static JsonObject ToJson(StageStack stack)
    {
        var root = new JsonObject { ["stage"] = stack.Stage };
        foreach (var field in StackSchema.Fields)
        {
            var parent = root;
            foreach (var part in field.Section.Split('.', StringSplitOptions.RemoveEmptyEntries))
                parent = (JsonObject)(parent[part] ??= new JsonObject());
            parent[field.Name] = field.Get(stack) switch
            {
                null => null,
                string s => JsonValue.Create(s),
                int n => JsonValue.Create(n),
                bool b => JsonValue.Create(b),
                IReadOnlyDictionary<string, string> map => new JsonObject(map.OrderBy(e => e.Key, StringComparer.Ordinal)
                    .Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
                IReadOnlyList<string> list => new JsonArray(list.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
                var other => throw new InvalidOperationException($"Field {field.Path} has no JSON form ({other.GetType().Name})."),
            };
        }
        return root;
    }

    /// <summary>The stage's JSON text, indented.</summary>
    public static string Write(StageStack stack) =>
        ToJson(stack).ToJsonString(new JsonSerializerOptions { WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
