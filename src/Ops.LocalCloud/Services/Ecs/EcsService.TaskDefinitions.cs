using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>ECS task definitions: register revisions, describe, list, deregister, delete.</summary>
internal sealed partial class EcsService
{
    JsonNode? RegisterTaskDefinition(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var family = Required(i, "family");
        if (i["containerDefinitions"] is not JsonArray { Count: > 0 })
            throw new AwsError("ClientException", "Container definitions are required.");
        var revisions = State.Families.TryGetValue(family, out var list) ? list : State.Families[family] = [];
        var spec = i.DeepClone().AsObject();
        spec.Remove("tags");
        var td = new EcsTaskDefinition { Revision = revisions.Count + 1, Spec = spec, Registered = c.Now };
        revisions.Add(td);
        return new JsonObject { ["taskDefinition"] = TaskDefinitionView(family, td, c) };
    });

    JsonNode? DescribeTaskDefinition(JsonObject i, RequestContext c) => Read(() =>
    {
        var (family, td) = State.FindTaskDefinition(Required(i, "taskDefinition"));
        return new JsonObject { ["taskDefinition"] = TaskDefinitionView(family, td, c) };
    });

    JsonNode? ListTaskDefinitions(JsonObject i, RequestContext c) => Read(() =>
    {
        var prefix = Optional(i, "familyPrefix");
        var status = Optional(i, "status") ?? "ACTIVE";
        var arns = State.Families.Where(f => prefix == null || f.Key == prefix)
            .SelectMany(f => f.Value.Where(td => td.Status == status).Select(td => TaskDefinitionArn(c, f.Key, td.Revision)));
        if (Optional(i, "sort") == "DESC") arns = arns.Reverse();
        return Paginate(i, arns.Select(a => (JsonNode?)a), "taskDefinitionArns", "nextToken", "maxResults", 100);
    });

    JsonNode? ListTaskDefinitionFamilies(JsonObject i, RequestContext c) => Read(() =>
    {
        var prefix = Optional(i, "familyPrefix") ?? "";
        var families = State.Families.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)
            && f.Value.Any(td => td.Status == "ACTIVE")).Select(f => (JsonNode?)f.Key);
        return Paginate(i, families, "families", "nextToken", "maxResults", 100);
    });

    JsonNode? DeregisterTaskDefinition(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var (family, td) = State.FindTaskDefinition(Required(i, "taskDefinition"));
        td.Status = "INACTIVE";
        return new JsonObject { ["taskDefinition"] = TaskDefinitionView(family, td, c) };
    });

    JsonNode? DeleteTaskDefinitions(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var deleted = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in Strings(i, "taskDefinitions"))
        {
            var (family, td) = State.FindTaskDefinition(id);
            if (td.Status != "INACTIVE") { failures.Add(Failure(TaskDefinitionArn(c, family, td.Revision), "The specified task definition must be INACTIVE to be deleted.")); continue; }
            td.Status = "DELETE_IN_PROGRESS";
            deleted.Add(TaskDefinitionView(family, td, c));
        }
        return new JsonObject { ["taskDefinitions"] = deleted, ["failures"] = failures };
    });

    static string TaskDefinitionArn(RequestContext c, string family, int revision) => c.Arn("ecs", $"task-definition/{family}:{revision}");

    static JsonObject TaskDefinitionView(string family, EcsTaskDefinition td, RequestContext c)
    {
        var o = td.Spec.DeepClone().AsObject();
        o["taskDefinitionArn"] = TaskDefinitionArn(c, family, td.Revision);
        o["family"] = family;
        o["revision"] = td.Revision;
        o["status"] = td.Status;
        o["registeredAt"] = td.Registered.ToString("O");
        return o;
    }
}
