using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services;

/// <summary>The awsQuery services' tag list ([{Key, Value}]) of a tag map, as RDS, Redshift and ElastiCache send it.</summary>
internal static class TagList
{
    public static JsonArray Of(Dictionary<string, string>? tags) =>
        new((tags ?? []).Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());
}
