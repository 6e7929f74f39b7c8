using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ec2;

/// <summary>EC2 tags by resource id: create, delete, describe, and the tag filters other Describe calls share.</summary>
internal sealed partial class Ec2Service
{
    JsonNode? CreateTags(JsonObject i, RequestContext c) => Write(() =>
    {
        foreach (var id in Strings(i, "Resources"))
            MergeTags(TagsOf(State.Tags, id), i["Tags"]);
        return new JsonObject();
    });

    JsonNode? DeleteTags(JsonObject i, RequestContext c) => Write(() =>
    {
        foreach (var id in Strings(i, "Resources"))
            foreach (var t in (i["Tags"] as JsonArray) ?? []) TagsOf(State.Tags, id).Remove((string)t!["Key"]!);
        return new JsonObject();
    });

    JsonNode? DescribeTags(JsonObject i, RequestContext c) => Read(() =>
    {
        var filters = Filters(i);
        var tags = State.Tags.Where(r => !filters.TryGetValue("resource-id", out var ids) || ids.Contains(r.Key))
            .SelectMany(r => r.Value.Select(t => (Resource: r.Key, t.Key, t.Value)))
            .Where(t => !filters.TryGetValue("key", out var keys) || keys.Contains(t.Key));
        return new JsonObject
        {
            ["Tags"] = new JsonArray(tags.Select(t => (JsonNode?)new JsonObject
            {
                ["ResourceId"] = t.Resource,
                ["ResourceType"] = t.Resource.StartsWith("sg-") ? "security-group" : "instance",
                ["Key"] = t.Key,
                ["Value"] = t.Value,
            }).ToArray()),
        };
    });

    /// <summary>True when the resource's tags satisfy every <c>tag:Key</c> and <c>tag-key</c> filter.</summary>
    bool TagFilters(string id, Dictionary<string, List<string>> filters)
    {
        var tags = State.Tags.GetValueOrDefault(id) ?? new Dictionary<string, string>();
        foreach (var (name, values) in filters)
        {
            if (name.StartsWith("tag:", StringComparison.Ordinal) && !(tags.TryGetValue(name[4..], out var v) && values.Any(f => Glob(f).IsMatch(v)))) return false;
            if (name == "tag-key" && !values.Any(tags.ContainsKey)) return false;
        }
        return true;
    }

    JsonArray TagList(string id) =>
        new((State.Tags.GetValueOrDefault(id) ?? []).Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());
}
