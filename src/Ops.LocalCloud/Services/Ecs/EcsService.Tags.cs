using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>ECS tags, kept by resource ARN ({key, value} on the wire).</summary>
internal sealed partial class EcsService
{
    JsonNode? TagResource(JsonObject i, RequestContext c) => Write(null, () =>
    {
        SetTags(Required(i, "resourceArn"), i["tags"] as JsonArray);
        return new JsonObject();
    });

    JsonNode? UntagResource(JsonObject i, RequestContext c) => Write(null, () =>
    {
        if (State.Tags.TryGetValue(Required(i, "resourceArn"), out var tags))
            foreach (var key in Strings(i, "tagKeys")) tags.Remove(key);
        return new JsonObject();
    });

    JsonNode? ListTagsForResource(JsonObject i, RequestContext c) => Read(() => new JsonObject { ["tags"] = Tags(Required(i, "resourceArn")) });

    void SetTags(string arn, JsonArray? tags)
    {
        if (tags != null) MergeTags(TagsOf(State.Tags, arn), tags, "key", "value");
    }

    JsonArray Tags(string arn) =>
        new(State.Tags.GetValueOrDefault(arn)?.Select(t => (JsonNode?)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray() ?? []);
}
