using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>CloudWatch Logs: groups, streams, retention, events in and out (task logs).</summary>
internal sealed class LogsService : ServiceHandler<LogsService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Group> Groups { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Group
    {
        public string Name { get; set; } = "";
        public DateTimeOffset Created { get; set; }
        public int? RetentionDays { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new();
        public SortedDictionary<string, List<LogEvent>> Streams { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed record LogEvent(long Timestamp, string Message, long Ingested);

    public override string Name => "logs";

    static AwsError NotFound(string what) => new("ResourceNotFoundException", $"The specified {what} does not exist.");

    public LogsService(StateStore store) : base(store)
    {
        On("CreateLogGroup", (i, c) => Write(() =>
        {
            var name = Required(i, "logGroupName");
            if (State.Groups.ContainsKey(name)) throw new AwsError("ResourceAlreadyExistsException", "The specified log group already exists");
            var g = State.Groups[name] = new Group { Name = name, Created = c.Now };
            foreach (var (k, v) in (i["tags"] as JsonObject) ?? []) g.Tags[k] = v?.ToString() ?? "";
            return new JsonObject();
        }));
        On("DescribeLogGroups", (i, c) => Read(() =>
        {
            var prefix = Optional(i, "logGroupNamePrefix") ?? "";
            var groups = State.Groups.Values.Where(g => g.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(g => (JsonNode?)new JsonObject
            {
                ["logGroupName"] = g.Name, ["creationTime"] = g.Created.ToUnixTimeMilliseconds(), ["retentionInDays"] = g.RetentionDays,
                ["arn"] = c.Arn("logs", $"log-group:{g.Name}:*"), ["storedBytes"] = g.Streams.Values.Sum(s => s.Sum(e => (long)e.Message.Length)),
            });
            return Paginate(i, groups, "logGroups", "nextToken", "limit", 50);
        }));
        On("DeleteLogGroup", (i, _) => Write(() =>
        {
            if (!State.Groups.Remove(Required(i, "logGroupName"))) throw NotFound("log group");
            return new JsonObject();
        }));
        On("PutRetentionPolicy", (i, _) => Write(() =>
        {
            Find(Required(i, "logGroupName")).RetentionDays = (int?)Number(i, "retentionInDays");
            return new JsonObject();
        }));
        On("CreateLogStream", (i, _) => Write(() =>
        {
            var g = Find(Required(i, "logGroupName"));
            var name = Required(i, "logStreamName");
            if (g.Streams.ContainsKey(name)) throw new AwsError("ResourceAlreadyExistsException", "The specified log stream already exists");
            g.Streams[name] = [];
            return new JsonObject();
        }));
        On("DescribeLogStreams", (i, c) => Read(() =>
        {
            var g = Find(Required(i, "logGroupName"));
            var prefix = Optional(i, "logStreamNamePrefix") ?? "";
            var streams = g.Streams.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(s => (JsonNode?)new JsonObject
            {
                ["logStreamName"] = s.Key, ["creationTime"] = g.Created.ToUnixTimeMilliseconds(),
                ["firstEventTimestamp"] = s.Value.FirstOrDefault()?.Timestamp, ["lastEventTimestamp"] = s.Value.LastOrDefault()?.Timestamp,
                ["arn"] = c.Arn("logs", $"log-group:{g.Name}:log-stream:{s.Key}"),
            });
            return Paginate(i, streams, "logStreams", "nextToken", "limit", 50);
        }));
        On("PutLogEvents", (i, c) => Write(() =>
        {
            var g = Find(Required(i, "logGroupName"));
            if (!g.Streams.TryGetValue(Required(i, "logStreamName"), out var stream)) throw NotFound("log stream");
            foreach (var e in (i["logEvents"] as JsonArray) ?? [])
                stream.Add(new LogEvent(e!["timestamp"]!.GetValue<long>(), (string)e["message"]!, c.Now.ToUnixTimeMilliseconds()));
            stream.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
            return new JsonObject { ["nextSequenceToken"] = stream.Count.ToString("D20") };
        }));
        On("GetLogEvents", (i, _) => Read(() =>
        {
            var g = Find(Required(i, "logGroupName"));
            if (!g.Streams.TryGetValue(Required(i, "logStreamName"), out var stream)) throw NotFound("log stream");
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
        }));
        On("FilterLogEvents", (i, _) => Read(() =>
        {
            var g = Find(Required(i, "logGroupName"));
            var names = Strings(i, "logStreamNames").ToList();
            var pattern = (Optional(i, "filterPattern") ?? "").Trim('"');
            var events = g.Streams.Where(s => names.Count == 0 || names.Contains(s.Key))
                .SelectMany(s => Window(s.Value, i).Select(e => (Stream: s.Key, Event: e)))
                .Where(x => pattern.Length == 0 || x.Event.Message.Contains(pattern, StringComparison.Ordinal))
                .OrderBy(x => x.Event.Timestamp)
                .Select(x => (JsonNode?)new JsonObject
                {
                    ["logStreamName"] = x.Stream, ["timestamp"] = x.Event.Timestamp, ["message"] = x.Event.Message, ["ingestionTime"] = x.Event.Ingested,
                    ["eventId"] = $"{x.Event.Timestamp}-{x.Stream}",
                });
            return Paginate(i, events, "events", "nextToken", "limit", 10_000);
        }));
    }

    static IEnumerable<LogEvent> Window(List<LogEvent> stream, JsonObject i)
    {
        var from = Number(i, "startTime") ?? long.MinValue;
        var to = Number(i, "endTime") ?? long.MaxValue;
        return stream.Where(e => e.Timestamp >= from && e.Timestamp <= to);
    }

    Group Find(string name) => State.Groups.TryGetValue(name, out var g) ? g : throw NotFound("log group");


}
