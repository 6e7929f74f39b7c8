using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Rds;

internal sealed partial class RdsService
{
    JsonNode? AddTagsToResource(JsonObject i, RequestContext c) => Write(() =>
    {
        var arn = Required(i, "ResourceName");
        RequireTaggable(arn);
        SetTags(arn, i["Tags"] as JsonArray);
        return new JsonObject();
    });

    /// <summary>Tags go only on what exists: arn:aws:rds:REGION:ACCOUNT:(db|snapshot|subgrp):ID.</summary>
    void RequireTaggable(string arn)
    {
        var (kind, id) = ArnParts(arn, "rds");
        var exists = kind switch
        {
            "db" => State.Instances.ContainsKey(id),
            "snapshot" => State.Snapshots.ContainsKey(id),
            "subgrp" => State.SubnetGroups.ContainsKey(id),
            _ => throw new AwsError("InvalidParameterValue", $"Invalid resource name: {arn}; expected an RDS ARN such as arn:aws:rds:REGION:ACCOUNT:db:NAME."),
        };
        if (!exists)
            throw kind switch
            {
                "db" => new AwsError("DBInstanceNotFound", $"DBInstance {id} not found.", 404),
                "snapshot" => new AwsError("DBSnapshotNotFound", $"DBSnapshot {id} not found.", 404),
                _ => new AwsError("DBSubnetGroupNotFoundFault", $"DBSubnetGroup {id} not found.", 404),
            };
    }

    JsonNode? ListTagsForResource(JsonObject i, RequestContext c) => Read(() =>
        new JsonObject { ["TagList"] = TagList.Of(State.Tags.GetValueOrDefault(Required(i, "ResourceName"))) });

    void SetTags(string arn, JsonArray? tags) => MergeTags(TagsOf(State.Tags, arn), tags);
}
