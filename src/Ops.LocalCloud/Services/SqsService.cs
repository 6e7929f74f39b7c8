using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>
/// SQS (awsJson 1.0, query-compatible errors): visibility timeouts, long polling, receive counts,
/// per-message and per-queue delays, redrive to a dead-letter queue, batches, MD5s as clients verify them.
/// Its timing is real time whatever clock lifecycles follow, since clients really wait on it.
/// </summary>
internal sealed class SqsService : ServiceHandler<SqsService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Queue> Queues { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Queue
    {
        public string Name { get; set; } = "";
        public DateTimeOffset Created { get; set; }
        public Dictionary<string, string> Attributes { get; set; } = new();
        public Dictionary<string, string> Tags { get; set; } = new();
        public List<Message> Messages { get; set; } = [];
    }

    public sealed class Message
    {
        public string Id { get; set; } = "";
        public string Body { get; set; } = "";
        public JsonObject? MessageAttributes { get; set; }
        public DateTimeOffset Sent { get; set; }
        public DateTimeOffset VisibleAt { get; set; }
        public DateTimeOffset? FirstReceived { get; set; }
        public int ReceiveCount { get; set; }
        public string? ReceiptHandle { get; set; }
    }

    readonly Dictionary<string, TaskCompletionSource> _arrivals = new();

    public override string Name => "sqs";

    public override AwsError Throttling() => new("RequestThrottled", "Request is throttled.") { QueryCode = "RequestThrottled" };

    static AwsError NoQueue() => new("QueueDoesNotExist", "The specified queue does not exist.") { QueryCode = "AWS.SimpleQueueService.NonExistentQueue" };

    static readonly Dictionary<string, string> Defaults = new()
    {
        ["VisibilityTimeout"] = "30", ["DelaySeconds"] = "0", ["ReceiveMessageWaitTimeSeconds"] = "0",
        ["MessageRetentionPeriod"] = "345600", ["MaximumMessageSize"] = "262144",
    };

    public SqsService(StateStore store) : base(store)
    {
        On("CreateQueue", (i, c) =>
        {
            var name = Required(i, "QueueName");
            if (name.Length > 80 || name.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch is not ('-' or '_') && !(ch == '.' && name.EndsWith(".fifo"))))
                throw new AwsError("InvalidParameterValue", "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length") { QueryCode = "InvalidParameterValue" };
            var attributes = Map(i, "Attributes");
            lock (Gate)
            {
                if (State.Queues.TryGetValue(name, out var existing))
                {
                    if (attributes.Any(a => (existing.Attributes.TryGetValue(a.Key, out var v) ? v : Defaults.GetValueOrDefault(a.Key)) != a.Value))
                        throw new AwsError("QueueNameExists", $"A queue already exists with the same name and a different value for attribute(s).") { QueryCode = "QueueAlreadyExists" };
                    return new JsonObject { ["QueueUrl"] = Url(c, name) };
                }
                State.Queues[name] = new Queue { Name = name, Created = DateTimeOffset.UtcNow, Attributes = attributes, Tags = Map(i, "tags") };
                Persist();
                return new JsonObject { ["QueueUrl"] = Url(c, name) };
            }
        });
        On("GetQueueUrl", (i, c) =>
        {
            lock (Gate) return new JsonObject { ["QueueUrl"] = Url(c, Find(Required(i, "QueueName")).Name) };
        });
        On("ListQueues", (i, c) =>
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
        });
        On("DeleteQueue", (i, _) => Mutate(i, q => State.Queues.Remove(q.Name)));
        On("PurgeQueue", (i, _) => Mutate(i, q => q.Messages.Clear()));
        On("GetQueueAttributes", (i, c) =>
        {
            lock (Gate)
            {
                var q = FromUrl(i);
                var all = Attributes(q, c);
                var wanted = Strings(i, "AttributeNames").ToList();
                if (wanted.Count == 0 || wanted.Contains("All")) wanted = all.Keys.ToList();
                return new JsonObject { ["Attributes"] = new JsonObject(wanted.Where(all.ContainsKey).Select(k => KeyValuePair.Create(k, (JsonNode?)all[k]))) };
            }
        });
        On("SetQueueAttributes", (i, _) => Mutate(i, q =>
        {
            foreach (var (k, v) in Map(i, "Attributes")) q.Attributes[k] = v;
        }));
        On("TagQueue", (i, _) => Mutate(i, q =>
        {
            foreach (var (k, v) in Map(i, "Tags")) q.Tags[k] = v;
        }));
        On("ListQueueTags", (i, _) =>
        {
            lock (Gate) return new JsonObject { ["Tags"] = new JsonObject(FromUrl(i).Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))) };
        });
        On("SendMessage", (i, c) =>
        {
            lock (Gate)
            {
                var q = FromUrl(i);
                var m = Send(q, Required(i, "MessageBody"), Number(i, "DelaySeconds"), i["MessageAttributes"] as JsonObject, DateTimeOffset.UtcNow);
                return SendResult(m);
            }
        });
        On("SendMessageBatch", (i, c) =>
        {
            lock (Gate)
            {
                var q = FromUrl(i);
                var ok = new JsonArray();
                foreach (var e in (i["Entries"] as JsonArray) ?? [])
                {
                    var entry = e!.AsObject();
                    var r = SendResult(Send(q, Required(entry, "MessageBody"), Number(entry, "DelaySeconds"), entry["MessageAttributes"] as JsonObject, DateTimeOffset.UtcNow));
                    r["Id"] = Required(entry, "Id");
                    ok.Add(r);
                }
                return new JsonObject { ["Successful"] = ok, ["Failed"] = new JsonArray() };
            }
        });
        OnAsync("ReceiveMessage", ReceiveAsync);
        On("DeleteMessage", (i, _) =>
        {
            lock (Gate)
            {
                var q = FromUrl(i);
                Delete(q, Required(i, "ReceiptHandle"));
                Persist();
                return new JsonObject();
            }
        });
        On("DeleteMessageBatch", (i, _) => Batch(i, (q, e) => Delete(q, Required(e, "ReceiptHandle"))));
        On("ChangeMessageVisibility", (i, c) =>
        {
            lock (Gate)
            {
                var q = FromUrl(i);
                ChangeVisibility(q, Required(i, "ReceiptHandle"), Number(i, "VisibilityTimeout") ?? 0, DateTimeOffset.UtcNow);
                Persist();
                return new JsonObject();
            }
        });
        On("ChangeMessageVisibilityBatch", (i, c) => Batch(i, (q, e) => ChangeVisibility(q, Required(e, "ReceiptHandle"), Number(e, "VisibilityTimeout") ?? 0, DateTimeOffset.UtcNow)));
    }

    /// <summary>Delivery from another service (SNS fan-out): false when the queue does not exist.</summary>
    public bool Deliver(string queueArn, string body, JsonObject? attributes)
    {
        lock (Gate)
        {
            if (!State.Queues.TryGetValue(queueArn.Split(':')[^1], out var q)) return false;
            Send(q, body, null, attributes, DateTimeOffset.UtcNow);
            return true;
        }
    }

    async Task<JsonNode?> ReceiveAsync(JsonObject i, RequestContext c, CancellationToken cancellationToken)
    {
        var max = (int)(Number(i, "MaxNumberOfMessages") ?? 1);
        if (max is < 1 or > 10)
            throw new AwsError("InvalidParameterValue", $"Value {max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
        TimeSpan wait;
        lock (Gate)
            wait = TimeSpan.FromSeconds(Number(i, "WaitTimeSeconds") ?? long.Parse(Setting(FromUrl(i), "ReceiveMessageWaitTimeSeconds")));
        var deadline = DateTimeOffset.UtcNow + wait;
        while (true)
        {
            Task arrival;
            lock (Gate)
            {
                var q = FromUrl(i);
                var received = Receive(q, max, Number(i, "VisibilityTimeout"), DateTimeOffset.UtcNow);
                if (received.Count > 0 || DateTimeOffset.UtcNow >= deadline)
                {
                    if (received.Count > 0) Persist();
                    var names = Strings(i, "MessageSystemAttributeNames").Concat(Strings(i, "AttributeNames")).ToList();
                    var attributeNames = Strings(i, "MessageAttributeNames").ToList();
                    return new JsonObject { ["Messages"] = new JsonArray(received.Select(m => (JsonNode?)Describe(m, names, attributeNames)).ToArray()) };
                }
                if (!_arrivals.TryGetValue(q.Name, out var tcs)) _arrivals[q.Name] = tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrival = tcs.Task;
            }
            // Wake on a send, or when a delayed/in-flight message may have become visible, or at the deadline.
            var remaining = deadline - DateTimeOffset.UtcNow;
            var poll = remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250);
            if (poll > TimeSpan.Zero) await Task.WhenAny(arrival, Task.Delay(poll, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    List<Message> Receive(Queue q, int max, long? visibility, DateTimeOffset now)
    {
        var timeout = TimeSpan.FromSeconds(visibility ?? long.Parse(Setting(q, "VisibilityTimeout")));
        var redrive = q.Attributes.TryGetValue("RedrivePolicy", out var policy) ? JsonNode.Parse(policy) : null;
        var maxReceives = redrive?["maxReceiveCount"] is { } mr ? int.Parse(mr.ToString()) : int.MaxValue;
        var result = new List<Message>();
        foreach (var m in q.Messages.Where(m => m.VisibleAt <= now).ToList())
        {
            if (result.Count >= max) break;
            if (m.ReceiveCount >= maxReceives && redrive?["deadLetterTargetArn"] is { } arn)
            {
                // Received maxReceiveCount times without being deleted: move it to the dead-letter queue.
                q.Messages.Remove(m);
                var dlq = State.Queues.GetValueOrDefault(arn.ToString().Split(':')[^1]);
                if (dlq != null)
                {
                    m.VisibleAt = now;
                    m.ReceiptHandle = null;
                    dlq.Messages.Add(m);
                }
                continue;
            }
            m.ReceiveCount++;
            m.FirstReceived ??= now;
            m.VisibleAt = now + timeout;
            m.ReceiptHandle = $"{m.Id}#{Guid.NewGuid():N}";
            result.Add(m);
        }
        return result;
    }

    Message Send(Queue q, string body, long? delay, JsonObject? attributes, DateTimeOffset now)
    {
        var d = TimeSpan.FromSeconds(delay ?? long.Parse(Setting(q, "DelaySeconds")));
        var m = new Message { Id = Guid.NewGuid().ToString(), Body = body, MessageAttributes = attributes, Sent = now, VisibleAt = now + d };
        q.Messages.Add(m);
        Persist();
        if (_arrivals.Remove(q.Name, out var tcs)) tcs.TrySetResult();
        return m;
    }

    static JsonObject SendResult(Message m)
    {
        var r = new JsonObject { ["MessageId"] = m.Id, ["MD5OfMessageBody"] = Md5(m.Body) };
        if (m.MessageAttributes is { Count: > 0 }) r["MD5OfMessageAttributes"] = AttributesMd5(m.MessageAttributes);
        return r;
    }

    static JsonObject Describe(Message m, List<string> systemNames, List<string> attributeNames)
    {
        var o = new JsonObject { ["MessageId"] = m.Id, ["ReceiptHandle"] = m.ReceiptHandle, ["Body"] = m.Body, ["MD5OfBody"] = Md5(m.Body) };
        var all = new Dictionary<string, string>
        {
            ["ApproximateReceiveCount"] = m.ReceiveCount.ToString(),
            ["SentTimestamp"] = m.Sent.ToUnixTimeMilliseconds().ToString(),
            ["ApproximateFirstReceiveTimestamp"] = (m.FirstReceived ?? m.Sent).ToUnixTimeMilliseconds().ToString(),
            ["SenderId"] = "AIDALOCALCLOUD",
        };
        var names = systemNames.Contains("All") ? all.Keys.ToList() : systemNames.Where(all.ContainsKey).ToList();
        if (names.Count > 0) o["Attributes"] = new JsonObject(names.Select(n => KeyValuePair.Create(n, (JsonNode?)all[n])));
        if (m.MessageAttributes is { Count: > 0 } && attributeNames.Count > 0)
        {
            var selected = new JsonObject(m.MessageAttributes
                .Where(a => attributeNames.Contains("All") || attributeNames.Contains(".*") || attributeNames.Contains(a.Key))
                .Select(a => KeyValuePair.Create(a.Key, a.Value?.DeepClone())));
            if (selected.Count > 0)
            {
                o["MessageAttributes"] = selected;
                o["MD5OfMessageAttributes"] = AttributesMd5(selected);
            }
        }
        return o;
    }

    void Delete(Queue q, string handle)
    {
        var m = q.Messages.FirstOrDefault(x => x.ReceiptHandle == handle);
        if (m == null)
        {
            // A stale handle of a message that is still there: AWS accepts it; an unknown one is invalid.
            if (!q.Messages.Any(x => handle.StartsWith(x.Id + "#", StringComparison.Ordinal)) && !handle.Contains('#'))
                throw new AwsError("ReceiptHandleIsInvalid", $"The input receipt handle \"{handle}\" is not a valid receipt handle.") { QueryCode = "ReceiptHandleIsInvalid" };
            return;
        }
        q.Messages.Remove(m);
    }

    static void ChangeVisibility(Queue q, string handle, long seconds, DateTimeOffset now)
    {
        var m = q.Messages.FirstOrDefault(x => x.ReceiptHandle == handle)
            ?? throw new AwsError("MessageNotInflight", "Message does not exist or is not available for visibility timeout change.") { QueryCode = "AWS.SimpleQueueService.MessageNotInflight" };
        m.VisibleAt = now + TimeSpan.FromSeconds(seconds);
    }

    JsonNode? Batch(JsonObject i, Action<Queue, JsonObject> each)
    {
        lock (Gate)
        {
            var q = FromUrl(i);
            var ok = new JsonArray();
            var failed = new JsonArray();
            foreach (var e in (i["Entries"] as JsonArray) ?? [])
            {
                var entry = e!.AsObject();
                try
                {
                    each(q, entry);
                    ok.Add(new JsonObject { ["Id"] = Required(entry, "Id") });
                }
                catch (AwsError error)
                {
                    failed.Add(new JsonObject { ["Id"] = Required(entry, "Id"), ["Code"] = error.Code, ["Message"] = error.Message, ["SenderFault"] = true });
                }
            }
            Persist();
            return new JsonObject { ["Successful"] = ok, ["Failed"] = failed };
        }
    }

    JsonNode? Mutate(JsonObject i, Action<Queue> change)
    {
        lock (Gate)
        {
            change(FromUrl(i));
            Persist();
            return new JsonObject();
        }
    }

    Queue Find(string name) => State.Queues.TryGetValue(name, out var q) ? q : throw NoQueue();

    Queue FromUrl(JsonObject i) => Find(Required(i, "QueueUrl").TrimEnd('/').Split('/')[^1]);

    static string Url(RequestContext c, string name) => new Uri(c.BaseUrl, $"/{c.Account}/{name}").ToString();

    static string Setting(Queue q, string name) => q.Attributes.GetValueOrDefault(name) ?? Defaults[name];

    static Dictionary<string, string> Attributes(Queue q, RequestContext c)
    {
        var now = DateTimeOffset.UtcNow;
        var all = new Dictionary<string, string>(Defaults);
        foreach (var (k, v) in q.Attributes) all[k] = v;
        all["QueueArn"] = c.Arn("sqs", q.Name);
        all["ApproximateNumberOfMessages"] = q.Messages.Count(m => m.VisibleAt <= now).ToString();
        all["ApproximateNumberOfMessagesNotVisible"] = q.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount > 0).ToString();
        all["ApproximateNumberOfMessagesDelayed"] = q.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount == 0).ToString();
        all["CreatedTimestamp"] = q.Created.ToUnixTimeSeconds().ToString();
        all["LastModifiedTimestamp"] = q.Created.ToUnixTimeSeconds().ToString();
        return all;
    }

    static Dictionary<string, string> Map(JsonObject i, string member) =>
        (i[member] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "") ?? new Dictionary<string, string>();

    internal static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The MD5 of message attributes as SQS defines it: sorted names, length-prefixed name, type, transport byte and value.</summary>
    internal static string AttributesMd5(JsonObject attributes)
    {
        using var buffer = new MemoryStream();
        void Write(byte[] bytes)
        {
            var length = BitConverter.GetBytes(bytes.Length);
            if (BitConverter.IsLittleEndian) Array.Reverse(length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
        foreach (var (name, node) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var type = (string)node!["DataType"]!;
            Write(Encoding.UTF8.GetBytes(name));
            Write(Encoding.UTF8.GetBytes(type));
            if (node["BinaryValue"] is { } binary)
            {
                buffer.WriteByte(2);
                Write(Convert.FromBase64String((string)binary!));
            }
            else
            {
                buffer.WriteByte(1);
                Write(Encoding.UTF8.GetBytes((string?)node["StringValue"] ?? ""));
            }
        }
        return Convert.ToHexStringLower(MD5.HashData(buffer.ToArray()));
    }
}
