using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sqs;

internal sealed partial class SqsService
{
    JsonNode? CreateQueue(JsonObject i, RequestContext c)
    {
        var name = Required(i, "QueueName");
        var attributes = Map(i, "Attributes");
        CheckName(name, attributes.GetValueOrDefault("FifoQueue") == "true");
        CheckAttributes(attributes);
        lock (Gate)
        {
            if (State.Queues.TryGetValue(name, out var existing))
            {
                if (attributes.Any(a => (existing.Attributes.TryGetValue(a.Key, out var v) ? v : Defaults.GetValueOrDefault(a.Key)) != a.Value))
                    throw SqsErrors.QueueNameExists();
                return new JsonObject { ["QueueUrl"] = Url(c, name) };
            }
            State.Queues[name] = new SqsQueue { Name = name, Created = Now, Attributes = attributes, Tags = Map(i, "tags") };
            Persist();
            return new JsonObject { ["QueueUrl"] = Url(c, name) };
        }
    }

    /// <summary>1 to 80 alphanumerics, hyphens or underscores; a FIFO queue's name, and only a FIFO queue's, ends in ".fifo".</summary>
    static void CheckName(string name, bool fifo)
    {
        var stem = name.EndsWith(".fifo", StringComparison.Ordinal) ? name[..^5] : name;
        var valid = name.Length <= 80 && stem.Length > 0 && stem.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');
        if (fifo && (!valid || stem == name))
            throw SqsErrors.InvalidParameterValue(
                $"Queue name '{name}' is invalid: the name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.");
        if (!fifo && (!valid || stem != name))
            throw SqsErrors.InvalidParameterValue(
                $"Queue name '{name}' is invalid: can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (a name ending in .fifo needs the attribute FifoQueue=true).");
    }

    static void CheckAttributes(Dictionary<string, string> attributes)
    {
        if (attributes.TryGetValue("MaximumMessageSize", out var size) && !(int.TryParse(size, out var n) && n is >= SqsLimits.MinMessageSize and <= SqsLimits.MaxMessageSize))
            throw SqsErrors.InvalidAttributeValue("MaximumMessageSize", $"Must be an integer from {SqsLimits.MinMessageSize} to {SqsLimits.MaxMessageSize} bytes, not '{size}'.");
    }

    JsonNode? GetQueueUrl(JsonObject i, RequestContext c)
    {
        lock (Gate) return new JsonObject { ["QueueUrl"] = Url(c, Find(Required(i, "QueueName")).Name) };
    }

    JsonNode? ListQueues(JsonObject i, RequestContext c)
    {
        var prefix = Optional(i, "QueueNamePrefix") ?? "";
        var max = (int?)Number(i, "MaxResults");
        var start = int.TryParse(Optional(i, "NextToken"), out var n) ? n : 0;
        lock (Gate)
        {
            var names = State.Queues.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var page = names.Skip(start).Take(max ?? 1000).ToList();
            var result = new JsonObject { ["QueueUrls"] = new JsonArray(page.Select(q => (JsonNode?)Url(c, q)).ToArray()) };
            if (max != null && start + max < names.Count) result["NextToken"] = (start + max).ToString();
            return result;
        }
    }

    JsonNode? DeleteQueue(JsonObject i, RequestContext c) => Mutate(i, q => State.Queues.Remove(q.Name));

    JsonNode? PurgeQueue(JsonObject i, RequestContext c) => Mutate(i, q => q.Messages.Clear());

    JsonNode? GetQueueAttributes(JsonObject i, RequestContext c)
    {
        lock (Gate)
        {
            var q = FromUrl(i);
            var all = Attributes(q, c);
            var wanted = Strings(i, "AttributeNames").ToList();
            if (wanted.Count == 0 || wanted.Contains("All")) wanted = all.Keys.ToList();
            return new JsonObject { ["Attributes"] = new JsonObject(wanted.Where(all.ContainsKey).Select(k => KeyValuePair.Create(k, (JsonNode?)all[k]))) };
        }
    }

    JsonNode? SetQueueAttributes(JsonObject i, RequestContext c)
    {
        var attributes = Map(i, "Attributes");
        CheckAttributes(attributes);
        return Mutate(i, q =>
        {
            foreach (var (k, v) in attributes) q.Attributes[k] = v;
        });
    }

    JsonNode? TagQueue(JsonObject i, RequestContext c) => Mutate(i, q =>
    {
        foreach (var (k, v) in Map(i, "Tags")) q.Tags[k] = v;
    });

    JsonNode? ListQueueTags(JsonObject i, RequestContext c)
    {
        lock (Gate) return new JsonObject { ["Tags"] = new JsonObject(FromUrl(i).Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))) };
    }

    JsonNode? Mutate(JsonObject i, Action<SqsQueue> change)
    {
        lock (Gate)
        {
            change(FromUrl(i));
            Persist();
            return new JsonObject();
        }
    }

    Dictionary<string, string> Attributes(SqsQueue q, RequestContext c)
    {
        var now = Now;
        Expire(q, now);
        var all = new Dictionary<string, string>(Defaults);
        if (q.IsFifo)
            foreach (var (k, v) in FifoDefaults) all[k] = v;
        foreach (var (k, v) in q.Attributes) all[k] = v;
        all["QueueArn"] = c.Arn("sqs", q.Name);
        all["ApproximateNumberOfMessages"] = q.Messages.Count(m => m.VisibleAt <= now).ToString();
        all["ApproximateNumberOfMessagesNotVisible"] = q.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount > 0).ToString();
        all["ApproximateNumberOfMessagesDelayed"] = q.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount == 0).ToString();
        all["CreatedTimestamp"] = q.Created.ToUnixTimeSeconds().ToString();
        all["LastModifiedTimestamp"] = q.Created.ToUnixTimeSeconds().ToString();
        return all;
    }

    /// <summary>
    /// Drops messages older than the queue's retention period, and deduplication ids older than five minutes. The scan of
    /// the messages runs only once the earliest expiry it found last time has come (or the retention changed): a new
    /// message expires after every message already queued, so nothing can expire sooner.
    /// </summary>
    void Expire(SqsQueue q, DateTimeOffset now)
    {
        var retention = TimeSpan.FromSeconds(long.Parse(Setting(q, "MessageRetentionPeriod")));
        if (q.NextExpiry is not { } next || next.Retention != retention || now >= next.At)
        {
            var earliest = DateTimeOffset.MaxValue;
            for (var index = 0; index < q.Messages.Count; index++)
            {
                var m = q.Messages[index];
                if (m.Sent + retention > now)
                {
                    if (m.Sent + retention < earliest) earliest = m.Sent + retention;
                    continue;
                }
                q.Messages.RemoveAt(index--);
                MessageChanged(q, m, lazy: true); // an expired message that comes back after a crash expires again
            }
            q.NextExpiry = (earliest, retention);
        }
        if (q.Deduplication.Count == 0) return;
        foreach (var (key, seen) in q.Deduplication.ToList())
            if (seen.Sent + SqsLimits.DeduplicationWindow <= now) q.Deduplication.Remove(key);
    }
}
