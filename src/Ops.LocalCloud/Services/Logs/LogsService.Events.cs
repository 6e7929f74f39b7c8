using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Logs;

/// <summary>Log events: put into a stream, read a stream page by page, filter across a group's streams.</summary>
internal sealed partial class LogsService
{
    JsonNode? PutLogEvents(JsonObject i, RequestContext c) => Write(() =>
    {
        var stream = FindStream(FindGroup(Required(i, "logGroupName")), Required(i, "logStreamName"));
        foreach (var e in (i["logEvents"] as JsonArray) ?? [])
            stream.Add(new LogEvent(e!["timestamp"]!.GetValue<long>(), (string)e["message"]!, c.Now.ToUnixTimeMilliseconds(), NextEventId()));
        stream.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return new JsonObject { ["nextSequenceToken"] = stream.Count.ToString("D20") };
    });

    JsonNode? GetLogEvents(JsonObject i, RequestContext c) => Read(() =>
    {
        var stream = FindStream(FindGroup(Required(i, "logGroupName")), Required(i, "logStreamName"));
        var events = Window(stream, i).ToList();
        var limit = (int)(Number(i, "limit") ?? 10_000);
        var start = (Optional(i, "nextToken") is { } token && token.StartsWith("f/") && int.TryParse(token[2..], out var n)) ? n : 0;
        var fromHead = Flag(i, "startFromHead");
        var page = fromHead ? events.Skip(start).Take(limit).ToList() : events.TakeLast(limit).ToList();
        return new JsonObject
        {
            ["events"] = new JsonArray(page.Select(e => (JsonNode?)new JsonObject { ["timestamp"] = e.Timestamp, ["message"] = e.Message, ["ingestionTime"] = e.Ingested }).ToArray()),
            ["nextForwardToken"] = $"f/{(fromHead ? start + page.Count : events.Count)}",
            ["nextBackwardToken"] = "b/0",
        };
    });

    JsonNode? FilterLogEvents(JsonObject i, RequestContext c) => Read(() =>
    {
        var g = FindGroup(Required(i, "logGroupName"));
        var names = Strings(i, "logStreamNames").ToList();
        var pattern = (Optional(i, "filterPattern") ?? "").Trim('"');
        var events = g.Streams.Where(s => names.Count == 0 || names.Contains(s.Key))
            .SelectMany(s => Window(s.Value, i).Select(e => (Stream: s.Key, Event: e)))
            .Where(x => pattern.Length == 0 || x.Event.Message.Contains(pattern, StringComparison.Ordinal))
            .OrderBy(x => x.Event.Timestamp)
            .Select(x => (JsonNode?)new JsonObject
            {
                ["logStreamName"] = x.Stream,
                ["timestamp"] = x.Event.Timestamp,
                ["message"] = x.Event.Message,
                ["ingestionTime"] = x.Event.Ingested,
                ["eventId"] = $"{x.Event.Timestamp}-{x.Stream}",
            });
        return Paginate(i, events, "events", "nextToken", "limit", 10_000);
    });

    /// <summary>The events within the request's startTime/endTime (inclusive).</summary>
    static IEnumerable<LogEvent> Window(List<LogEvent> stream, JsonObject i)
    {
        var from = Number(i, "startTime") ?? long.MinValue;
        var to = Number(i, "endTime") ?? long.MaxValue;
        return stream.Where(e => e.Timestamp >= from && e.Timestamp <= to);
    }
}
