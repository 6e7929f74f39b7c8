using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Logs;

/// <summary>Log streams: create, describe.</summary>
internal sealed partial class LogsService
{
    JsonNode? CreateLogStream(JsonObject i, RequestContext c) => Write(() =>
    {
        var g = FindGroup(Required(i, "logGroupName"));
        var name = Required(i, "logStreamName");
        if (g.Streams.ContainsKey(name)) throw new AwsError("ResourceAlreadyExistsException", "The specified log stream already exists");
        g.Streams[name] = [];
        return new JsonObject();
    });

    JsonNode? DescribeLogStreams(JsonObject i, RequestContext c) => Read(() =>
    {
        var g = FindGroup(Required(i, "logGroupName"));
        var prefix = Optional(i, "logStreamNamePrefix") ?? "";
        var streams = g.Streams.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(s => (JsonNode?)new JsonObject
        {
            ["logStreamName"] = s.Key,
            ["creationTime"] = g.Created.ToUnixTimeMilliseconds(),
            ["firstEventTimestamp"] = s.Value.FirstOrDefault()?.Timestamp,
            ["lastEventTimestamp"] = s.Value.LastOrDefault()?.Timestamp,
            ["arn"] = c.Arn("logs", $"log-group:{g.Name}:log-stream:{s.Key}"),
        });
        return Paginate(i, streams, "logStreams", "nextToken", "limit", 50);
    });

    List<LogEvent> FindStream(LogGroup g, string name) => g.Streams.TryGetValue(name, out var stream) ? stream : throw NotFound("log stream");
}
