using System.Globalization;
using Amazon.Runtime;
using Ops.Aws.Sqs;
using Ops.Aws.Lookups;

namespace Ops.Worker;

/// <summary>The work queue as the worker uses it: receive one message (long poll), delete it, extend its visibility.</summary>
internal sealed class WorkQueue
{
    /// <summary>Attempts for a call about a message already received (delete, visibility): about a minute of retries.</summary>
    public const int MessageCallAttempts = 8;

    readonly SqsClient _sqs;
    readonly RetryPolicy _retry;

    WorkQueue(SqsClient sqs, RetryPolicy retry, string name, string url, int visibilityTimeoutSeconds, int? maxReceiveCount, int waitSeconds)
    {
        MaxReceiveCount = maxReceiveCount;
        _sqs = sqs;
        _retry = retry;
        Name = name;
        Url = url;
        VisibilityTimeoutSeconds = visibilityTimeoutSeconds;
        WaitSeconds = waitSeconds;
    }

    public string Name { get; }
    public string Url { get; }

    /// <summary>The queue's VisibilityTimeout: how long a received message stays hidden from other workers.</summary>
    public int VisibilityTimeoutSeconds { get; }

    public int WaitSeconds { get; }

    /// <summary>The redrive policy's maxReceiveCount: the receive after which SQS moves a message to the dead-letter queue (null: no redrive).</summary>
    public int? MaxReceiveCount { get; }

    /// <summary>Finds the queue by name and reads its visibility timeout; a queue that does not exist is a configuration error.</summary>
    public static async Task<WorkQueue> OpenAsync(SqsClient sqs, RetryPolicy retry, string name, int waitSeconds, CancellationToken cancellationToken)
    {
        string url;
        try
        {
            var found = await retry.RunAsync($"SQS GetQueueUrl {name}",
                ct => sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name }, ct), attempts: null, cancellationToken).ConfigureAwait(false);
            url = found.QueueUrl ?? throw new WorkerConfigException($"SQS returned no URL for queue {name}; check OPS_WORK_QUEUE.");
        }
        catch (AmazonServiceException e) when (SqsLookup.IsMissingQueue(e))
        {
            throw new WorkerConfigException($"OPS_WORK_QUEUE: the queue {name} does not exist; create it (./build.sh create-queues --stage <stage>) or fix the name.");
        }
        var attributes = await retry.RunAsync($"SQS GetQueueAttributes {name}",
            ct => sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["VisibilityTimeout", "RedrivePolicy"] }, ct),
            attempts: null, cancellationToken).ConfigureAwait(false);
        var visibility = attributes.Attributes?.GetValueOrDefault("VisibilityTimeout") is { } text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 30;
        int? maxReceiveCount = null;
        if (attributes.Attributes?.GetValueOrDefault("RedrivePolicy") is { Length: > 0 } redrive)
        {
            try
            {
                using var policy = System.Text.Json.JsonDocument.Parse(redrive);
                if (policy.RootElement.TryGetProperty("maxReceiveCount", out var max))
                    maxReceiveCount = max.ValueKind == System.Text.Json.JsonValueKind.Number ? max.GetInt32()
                        : int.TryParse(max.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            }
            catch (System.Text.Json.JsonException)
            {
                // An unreadable policy: treat the queue as having none; put-backs then always use visibility 0.
            }
        }
        return new WorkQueue(sqs, retry, name, url, visibility, maxReceiveCount, waitSeconds);
    }

    /// <summary>One long poll: a message, or null when none arrived within the wait. Retries transient faults until the token is cancelled.</summary>
    public async Task<Message?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var result = await _retry.RunAsync($"SQS ReceiveMessage {Name}",
            ct => _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = Url,
                MaxNumberOfMessages = 1,
                WaitTimeSeconds = WaitSeconds,
                MessageSystemAttributeNames = ["All"],
                AttributeNames = ["All"],
                MessageAttributeNames = ["All"],
            }, ct),
            attempts: null, cancellationToken).ConfigureAwait(false);
        return result.Messages is { Count: > 0 } messages ? messages[0] : null;
    }

    /// <summary>Deletes a processed message (retrying transient faults for about a minute).</summary>
    public Task DeleteAsync(Message message, CancellationToken cancellationToken) =>
        _retry.RunAsync($"SQS DeleteMessage {message.MessageId}",
            ct => _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = Url, ReceiptHandle = message.ReceiptHandle }, ct),
            MessageCallAttempts, cancellationToken);

    /// <summary>
    /// Puts a message that is not this worker's back on the queue for another consumer: visible again after
    /// <paramref name="hideSeconds"/> (0: at once), unless one more
    /// receive would move it to the dead-letter queue (every receive counts towards maxReceiveCount, including those of
    /// workers that only put it back); then a copy of its body is sent and the original deleted, which starts the count afresh.
    /// Returns whether a copy was sent.
    /// </summary>
    public async Task<bool> PutBackAsync(Message message, int hideSeconds, CancellationToken cancellationToken)
    {
        var received = message.Attributes?.GetValueOrDefault("ApproximateReceiveCount") is { } c
            && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
        if (MaxReceiveCount is not { } max || received < max - 1)
        {
            await ExtendVisibilityAsync(message, hideSeconds, cancellationToken).ConfigureAwait(false);
            return false;
        }
        await _retry.RunAsync($"SQS SendMessage (copy of {message.MessageId})",
            ct => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = Url, MessageBody = message.Body, DelaySeconds = hideSeconds }, ct),
            MessageCallAttempts, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Hides the message from other workers for another <paramref name="seconds"/> from now.</summary>
    public Task ExtendVisibilityAsync(Message message, int seconds, CancellationToken cancellationToken) =>
        _retry.RunAsync($"SQS ChangeMessageVisibility {message.MessageId}",
            ct => _sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest { QueueUrl = Url, ReceiptHandle = message.ReceiptHandle,
                VisibilityTimeout = seconds }, ct),
            MessageCallAttempts, cancellationToken);
}
