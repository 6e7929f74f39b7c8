using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sqs;

internal sealed partial class SqsService
{
    /// <summary>How long a long poll sleeps at most before looking again (a manual clock may have moved meanwhile).</summary>
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    JsonNode? SendMessage(JsonObject i, RequestContext c)
    {
        var message = SqsOutgoingMessage.From(i);
        lock (Gate)
        {
            var q = FromUrl(i);
            Check(q, message);
            var result = SendResult(message, Enqueue(q, message, Now));
            if (q.IsFifo) Persist(); // deduplication ids and sequence numbers are the queue's, not a message's
            return result;
        }
    }

    async Task<JsonNode?> ReceiveMessageAsync(JsonObject i, RequestContext c, CancellationToken cancellationToken)
    {
        var max = Number(i, "MaxNumberOfMessages") ?? 1;
        if (max is < 1 or > SqsLimits.MaxBatchEntries)
            throw SqsErrors.InvalidParameterValue($"Value {max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
        var visibility = Number(i, "VisibilityTimeout");
        if (visibility is < 0 or > SqsLimits.MaxVisibilityTimeout)
            throw SqsErrors.InvalidParameterValue($"Value {visibility} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and {SqsLimits.MaxVisibilityTimeout}, if provided.");
        DateTimeOffset deadline;
        lock (Gate)
        {
            var wait = Number(i, "WaitTimeSeconds") ?? long.Parse(Setting(FromUrl(i), "ReceiveMessageWaitTimeSeconds"));
            if (wait is < 0 or > SqsLimits.MaxWaitTimeSeconds)
                throw SqsErrors.InvalidParameterValue($"Value {wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= {SqsLimits.MaxWaitTimeSeconds}, if provided.");
            deadline = Now + TimeSpan.FromSeconds(wait);
        }
        var names = Strings(i, "MessageSystemAttributeNames").Concat(Strings(i, "AttributeNames")).ToList();
        var attributeNames = Strings(i, "MessageAttributeNames").ToList();
        while (true)
        {
            Task arrival;
            TimeSpan nap;
            lock (Gate)
            {
                var q = FromUrl(i);
                var now = Now;
                var received = Receive(q, (int)max, visibility, now);
                if (received.Count > 0 || now >= deadline)
                    return new JsonObject { ["Messages"] = new JsonArray(received.Select(m => (JsonNode?)Describe(m, names, attributeNames)).ToArray()) };
                arrival = Arrival(q);
                // Sleep until the deadline or the next message becomes visible, whichever is first, but never long:
                // the clock may be one a test moves by hand.
                var next = q.Messages.Where(m => m.VisibleAt > now).Select(m => m.VisibleAt).DefaultIfEmpty(deadline).Min();
                nap = new[] { deadline - now, next - now, PollInterval }.Min();
            }
            await Task.WhenAny(arrival, Task.Delay(nap, _clock, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    JsonNode? DeleteMessage(JsonObject i, RequestContext c)
    {
        lock (Gate)
        {
            var q = FromUrl(i);
            Delete(q, Required(i, "ReceiptHandle"));
            return new JsonObject();
        }
    }

    JsonNode? ChangeMessageVisibility(JsonObject i, RequestContext c)
    {
        lock (Gate)
        {
            var q = FromUrl(i);
            ChangeVisibility(q, Required(i, "ReceiptHandle"), Number(i, "VisibilityTimeout") ?? throw SqsErrors.MissingParameter("VisibilityTimeout"), Now);
            return new JsonObject();
        }
    }

    /// <summary>Everything SQS checks of a message before accepting it, in the queue it is for.</summary>
    static long Check(SqsQueue q, SqsOutgoingMessage message)
    {
        if (string.IsNullOrEmpty(message.Body)) throw SqsErrors.MissingParameter("MessageBody");
        SqsLimits.CheckCharacters(message.Body);
        var size = SqsLimits.Size(message.Body, message.Attributes);
        var limit = long.Parse(Setting(q, "MaximumMessageSize"));
        if (size > limit)
            throw SqsErrors.InvalidParameterValue($"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes (this one is {size} bytes, body and attributes).");
        const string notForThisQueueType = "The request include parameter that is not valid for this queue type.";
        if (q.IsFifo)
        {
            if (message.DelaySeconds is { } delay and not 0)
                throw SqsErrors.InvalidParameterValue($"Value {delay} for parameter DelaySeconds is invalid. Reason: {notForThisQueueType} (a FIFO queue takes a delay only as the queue's DelaySeconds attribute)");
            if (string.IsNullOrEmpty(message.GroupId)) throw SqsErrors.MissingParameter("MessageGroupId");
            if (string.IsNullOrEmpty(message.DeduplicationId) && Setting(q, "ContentBasedDeduplication") != "true")
                throw SqsErrors.InvalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
        }
        else
        {
            if (message.DelaySeconds is < 0 or > SqsLimits.MaxDelaySeconds)
                throw SqsErrors.InvalidParameterValue($"Value {message.DelaySeconds} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= {SqsLimits.MaxDelaySeconds}.");
            if (message.DeduplicationId != null)
                throw SqsErrors.InvalidParameterValue($"Value {message.DeduplicationId} for parameter MessageDeduplicationId is invalid. Reason: {notForThisQueueType}");
        }
        return size;
    }

    /// <summary>Adds a checked message to the queue; a FIFO duplicate within five minutes returns the original instead.</summary>
    SqsMessage Enqueue(SqsQueue q, SqsOutgoingMessage message, DateTimeOffset now)
    {
        var body = message.Body!;
        string? deduplicationId = null, key = null;
        if (q.IsFifo)
        {
            Expire(q, now);
            deduplicationId = message.DeduplicationId ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
            key = Setting(q, "DeduplicationScope") == "messageGroup" ? $"{message.GroupId}\n{deduplicationId}" : deduplicationId;
            if (q.Deduplication.TryGetValue(key, out var seen))
                return new SqsMessage { Id = seen.MessageId, SequenceNumber = seen.SequenceNumber, Body = body };
        }
        var delay = TimeSpan.FromSeconds(message.DelaySeconds ?? long.Parse(Setting(q, "DelaySeconds")));
        var m = new SqsMessage
        {
            Id = Guid.NewGuid().ToString(),
            Body = body,
            MessageAttributes = message.Attributes?.DeepClone().AsObject(),
            Sent = now,
            VisibleAt = now + delay,
            GroupId = message.GroupId,
            DeduplicationId = deduplicationId,
            SequenceNumber = q.IsFifo ? $"1{++q.LastSequenceNumber:D19}" : null,
        };
        if (key != null) q.Deduplication[key] = new SqsDeduplication { MessageId = m.Id, SequenceNumber = m.SequenceNumber, Sent = now };
        q.Messages.Add(m);
        if (!q.IsFifo) MessageChanged(q, m);
        Signal(q);
        return m;
    }

    /// <summary>
    /// Up to <paramref name="max"/> visible messages, in send order, made invisible for the timeout. In a FIFO queue a group
    /// whose message is in flight (or not yet visible) yields nothing, so a group is consumed in order, one batch at a time.
    /// </summary>
    List<SqsMessage> Receive(SqsQueue q, int max, long? visibility, DateTimeOffset now)
    {
        Expire(q, now);
        var timeout = TimeSpan.FromSeconds(visibility ?? long.Parse(Setting(q, "VisibilityTimeout")));
        var redrive = q.Attributes.TryGetValue("RedrivePolicy", out var policy) ? JsonNode.Parse(policy) : null;
        var maxReceives = redrive?["maxReceiveCount"] is { } mr ? int.Parse(mr.ToString()) : int.MaxValue;
        var held = q.IsFifo ? q.Messages.Where(m => m.InFlight(now)).Select(m => m.GroupId).ToHashSet() : [];
        var result = new List<SqsMessage>();
        // By index, not over a copy of the queue (a copy per receive cost as much as the queue is long).
        for (var index = 0; index < q.Messages.Count; index++)
        {
            var m = q.Messages[index];
            if (result.Count >= max) break;
            if (q.IsFifo && held.Contains(m.GroupId)) continue;
            if (m.VisibleAt > now)
            {
                if (q.IsFifo) held.Add(m.GroupId);
                continue;
            }
            if (m.ReceiveCount >= maxReceives && redrive?["deadLetterTargetArn"] is { } arn)
            {
                // Received maxReceiveCount times without being deleted: move it to the dead-letter queue.
                // A move must survive a crash: the copy in the dead-letter queue is logged before the removal, so a crash
                // between the two leaves the message in both queues (delivered again), never in neither.
                q.Messages.RemoveAt(index--);
                if (State.Queues.GetValueOrDefault(arn.ToString().Split(':')[^1]) is { } dlq)
                {
                    m.VisibleAt = now;
                    m.ReceiptHandle = null;
                    dlq.Messages.Add(m);
                    dlq.NextExpiry = null; // it keeps the time it was first sent, which may expire before any the queue held
                    MessageChanged(dlq, m);
                    Signal(dlq);
                }
                MessageChanged(q, m);
                continue;
            }
            m.ReceiveCount++;
            m.FirstReceived ??= now;
            m.LastReceived = now;
            m.VisibleAt = now + timeout;
            m.ReceiptHandle = $"{m.Id}#{Guid.NewGuid():N}";
            // A receipt need not survive a crash: the message is simply delivered again.
            MessageChanged(q, m, lazy: true);
            result.Add(m);
        }
        return result;
    }

    static JsonObject SendResult(SqsOutgoingMessage sent, SqsMessage m)
    {
        // The digests are of what this request sent (clients check them), the ids of the message that holds it.
        var r = new JsonObject { ["MessageId"] = m.Id, ["MD5OfMessageBody"] = SqsChecksums.Md5(sent.Body!) };
        if (sent.Attributes is { Count: > 0 }) r["MD5OfMessageAttributes"] = SqsChecksums.AttributesMd5(sent.Attributes);
        if (m.SequenceNumber != null) r["SequenceNumber"] = m.SequenceNumber;
        return r;
    }

    static JsonObject Describe(SqsMessage m, List<string> systemNames, List<string> attributeNames)
    {
        var o = new JsonObject { ["MessageId"] = m.Id, ["ReceiptHandle"] = m.ReceiptHandle, ["Body"] = m.Body, ["MD5OfBody"] = SqsChecksums.Md5(m.Body) };
        var all = new Dictionary<string, string>
        {
            ["ApproximateReceiveCount"] = m.ReceiveCount.ToString(),
            ["SentTimestamp"] = m.Sent.ToUnixTimeMilliseconds().ToString(),
            ["ApproximateFirstReceiveTimestamp"] = (m.FirstReceived ?? m.Sent).ToUnixTimeMilliseconds().ToString(),
            ["SenderId"] = "AIDALOCALCLOUD",
        };
        if (m.GroupId != null) all["MessageGroupId"] = m.GroupId;
        if (m.DeduplicationId != null) all["MessageDeduplicationId"] = m.DeduplicationId;
        if (m.SequenceNumber != null) all["SequenceNumber"] = m.SequenceNumber;
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
                o["MD5OfMessageAttributes"] = SqsChecksums.AttributesMd5(selected);
            }
        }
        return o;
    }

    /// <summary>A handle this queue service could have issued: "{message id}#{32 hex digits}".</summary>
    static bool IsReceiptHandle(string handle) =>
        handle.Split('#') is [var id, var nonce] && Guid.TryParse(id, out _) && nonce.Length == 32 && nonce.All(char.IsAsciiHexDigit);

    void Delete(SqsQueue q, string handle)
    {
        // A stale handle (the message was received again, or is already deleted) is accepted as AWS does; a malformed one is not.
        if (!IsReceiptHandle(handle)) throw SqsErrors.ReceiptHandleIsInvalid(handle);
        var index = q.Messages.FindIndex(x => x.ReceiptHandle == handle);
        if (index < 0) return;
        var m = q.Messages[index];
        q.Messages.RemoveAt(index);
        MessageChanged(q, m);
    }

    /// <summary>Logs one message of a queue as it is when written: gone when it was deleted, moved, or its queue deleted.</summary>
    void MessageChanged(SqsQueue q, SqsMessage m, bool lazy = false)
    {
        var name = q.Name;
        PersistRecord(new(["Queues", name, "Messages", m.Id], "Id"),
            // From the end: a message just sent is the last one.
            s => s.Queues.GetValueOrDefault(name) is { } queue && queue.Messages.LastIndexOf(m) >= 0 ? m : null, lazy);
    }

    void ChangeVisibility(SqsQueue q, string handle, long seconds, DateTimeOffset now)
    {
        if (seconds is < 0 or > SqsLimits.MaxVisibilityTimeout)
            throw SqsErrors.InvalidParameterValue($"Value {seconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and {SqsLimits.MaxVisibilityTimeout}.");
        if (!IsReceiptHandle(handle)) throw SqsErrors.ReceiptHandleIsInvalid(handle);
        var m = q.Messages.FirstOrDefault(x => x.ReceiptHandle == handle);
        if (m == null || !m.InFlight(now)) throw SqsErrors.MessageNotInflight();
        if (now + TimeSpan.FromSeconds(seconds) - m.LastReceived > TimeSpan.FromSeconds(SqsLimits.MaxVisibilityTimeout))
            throw SqsErrors.InvalidParameterValue(
                $"Value {seconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [{SqsLimits.MaxVisibilityTimeout} seconds]");
        m.VisibleAt = now + TimeSpan.FromSeconds(seconds);
        MessageChanged(q, m);
        if (seconds == 0) Signal(q);
    }
}
