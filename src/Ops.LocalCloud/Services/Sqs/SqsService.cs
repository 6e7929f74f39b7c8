using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Sqs;

/// <summary>
/// SQS (awsJson 1.0, query-compatible errors): standard and FIFO queues, visibility timeouts, long polling, receive counts,
/// delays, redrive to a dead-letter queue, batches, SQS's size and character limits, MD5s as clients verify them;
/// all timing on the injected clock.
/// </summary>
internal sealed partial class SqsService : ServiceHandler<SqsState>
{
    readonly TimeProvider _clock;
    readonly Dictionary<string, TaskCompletionSource> _arrivals = new();

    static readonly Dictionary<string, string> Defaults = new()
    {
        ["VisibilityTimeout"] = "30",
        ["DelaySeconds"] = "0",
        ["ReceiveMessageWaitTimeSeconds"] = "0",
        ["MessageRetentionPeriod"] = "345600",
        ["MaximumMessageSize"] = SqsLimits.MaxMessageSize.ToString(),
    };

    static readonly Dictionary<string, string> FifoDefaults = new()
    {
        ["ContentBasedDeduplication"] = "false",
        ["DeduplicationScope"] = "queue",
        ["FifoThroughputLimit"] = "perQueue",
    };

    public override string Name => "sqs";

    public override AwsError Throttling() => SqsErrors.Throttled();

    public SqsService(StateStore store, TimeProvider clock) : base(store)
    {
        _clock = clock;
        On("CreateQueue", CreateQueue);
        On("GetQueueUrl", GetQueueUrl);
        On("ListQueues", ListQueues);
        On("DeleteQueue", DeleteQueue);
        On("PurgeQueue", PurgeQueue);
        On("GetQueueAttributes", GetQueueAttributes);
        On("SetQueueAttributes", SetQueueAttributes);
        On("TagQueue", TagQueue);
        On("ListQueueTags", ListQueueTags);
        On("SendMessage", SendMessage);
        OnAsync("ReceiveMessage", ReceiveMessageAsync);
        On("DeleteMessage", DeleteMessage);
        On("ChangeMessageVisibility", ChangeMessageVisibility);
        On("SendMessageBatch", SendMessageBatch);
        On("DeleteMessageBatch", DeleteMessageBatch);
        On("ChangeMessageVisibilityBatch", ChangeMessageVisibilityBatch);
    }

    /// <summary>Delivery from another service (SNS fan-out): false when the queue does not exist or refuses the message.</summary>
    public bool Deliver(string queueArn, string body, JsonObject? attributes, string? groupId = null, string? deduplicationId = null)
    {
        lock (Gate)
        {
            if (!State.Queues.TryGetValue(queueArn.Split(':')[^1], out var q)) return false;
            try
            {
                var message = new SqsOutgoingMessage(body, null, attributes, groupId, deduplicationId);
                Check(q, message);
                Enqueue(q, message, Now);
                Persist();
                return true;
            }
            catch (AwsError)
            {
                return false;
            }
        }
    }

    DateTimeOffset Now => _clock.GetUtcNow();

    SqsQueue Find(string name) => State.Queues.TryGetValue(name, out var q) ? q : throw SqsErrors.NoQueue();

    SqsQueue FromUrl(JsonObject i) => Find(Required(i, "QueueUrl").TrimEnd('/').Split('/')[^1]);

    static string Url(RequestContext c, string name) => new Uri(c.BaseUrl, $"/{c.Account}/{name}").ToString();

    static string Setting(SqsQueue q, string name) =>
        q.Attributes.GetValueOrDefault(name) ?? Defaults.GetValueOrDefault(name) ?? FifoDefaults[name];

    static Dictionary<string, string> Map(JsonObject i, string member) =>
        (i[member] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "") ?? new Dictionary<string, string>();

    /// <summary>Wakes the long polls waiting on a queue: a message arrived or became visible.</summary>
    void Signal(SqsQueue q)
    {
        if (_arrivals.Remove(q.Name, out var tcs)) tcs.TrySetResult();
    }

    /// <summary>Completes at the next <see cref="Signal"/> of the queue.</summary>
    Task Arrival(SqsQueue q)
    {
        if (!_arrivals.TryGetValue(q.Name, out var tcs))
            _arrivals[q.Name] = tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return tcs.Task;
    }
}
