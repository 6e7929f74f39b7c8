using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.DynamoDb;

internal sealed partial class DynamoDbService
{
    /// <summary>Adds or replaces tags of a table (by its ARN); kept with the table's spec as CreateTable's Tags are.</summary>
    JsonNode? TagResource(JsonObject i, RequestContext c) => Write(() =>
    {
        var table = Find(TableOf(Required(i, "ResourceArn")));
        var tags = TagsOf(table);
        foreach (var tag in (i["Tags"] as JsonArray) ?? [])
        {
            var key = (string)tag!["Key"]!;
            tags.RemoveAll(t => (string?)t?["Key"] == key);
            tags.Add(new JsonObject { ["Key"] = key, ["Value"] = (string?)tag["Value"] ?? "" });
        }
        return new JsonObject();
    });

    JsonNode? ListTagsOfResource(JsonObject i, RequestContext c) => Read(() =>
        new JsonObject { ["Tags"] = TagsOf(Find(TableOf(Required(i, "ResourceArn")))).DeepClone() });

    static string TableOf(string arn) =>
        arn.Split(":table/", 2) is [_, var rest] ? rest.Split('/')[0] : throw new AwsError("ValidationException", $"Invalid TableArn: {arn}");

    static JsonArray TagsOf(DynamoDbTable table) =>
        table.Spec["Tags"] as JsonArray ?? (JsonArray)(table.Spec["Tags"] = new JsonArray());
}
