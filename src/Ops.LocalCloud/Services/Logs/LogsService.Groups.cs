using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Logs;

/// <summary>Log groups: create, describe, delete, retention.</summary>
internal sealed partial class LogsService
{
    JsonNode? CreateLogGroup(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "logGroupName");
        if (State.Groups.ContainsKey(name)) throw new AwsError("ResourceAlreadyExistsException", "The specified log group already exists");
        var g = State.Groups[name] = new LogGroup { Name = name, Created = c.Now };
        foreach (var (k, v) in (i["tags"] as JsonObject) ?? []) g.Tags[k] = v?.ToString() ?? "";
        return new JsonObject();
    });

    JsonNode? DescribeLogGroups(JsonObject i, RequestContext c) => Read(() =>
    {
        var prefix = Optional(i, "logGroupNamePrefix") ?? "";
        var groups = State.Groups.Values.Where(g => g.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(g => (JsonNode?)new JsonObject
        {
            ["logGroupName"] = g.Name,
            ["creationTime"] = g.Created.ToUnixTimeMilliseconds(),
            ["retentionInDays"] = g.RetentionDays,
            ["arn"] = c.Arn("logs", $"log-group:{g.Name}:*"),
            ["storedBytes"] = g.Streams.Values.Sum(s => s.Sum(e => (long)e.Message.Length)),
        });
        return Paginate(i, groups, "logGroups", "nextToken", "limit", 50);
    });

    JsonNode? DeleteLogGroup(JsonObject i, RequestContext c) => Write(() =>
    {
        if (!State.Groups.Remove(Required(i, "logGroupName"))) throw NotFound("log group");
        return new JsonObject();
    });

    JsonNode? PutRetentionPolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        FindGroup(Required(i, "logGroupName")).RetentionDays = (int?)Number(i, "retentionInDays");
        return new JsonObject();
    });

    LogGroup FindGroup(string name) => State.Groups.TryGetValue(name, out var g) ? g : throw NotFound("log group");
}
