using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Rds;

internal sealed partial class RdsService
{
    JsonNode? AddTagsToResource(JsonObject i, RequestContext c) => Write(() =>
    {
        SetTags(Required(i, "ResourceName"), i["Tags"] as JsonArray);
        return new JsonObject();
    });

    JsonNode? ListTagsForResource(JsonObject i, RequestContext c) => Read(() =>
        new JsonObject { ["TagList"] = TagList.Of(State.Tags.GetValueOrDefault(Required(i, "ResourceName"))) });

    void SetTags(string arn, JsonArray? tags) => MergeTags(TagsOf(State.Tags, arn), tags);
}
