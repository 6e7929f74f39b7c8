using Ops.Aws.Sqs;

namespace Ops.Aws.Lookups;

/// <summary>SQS resources by name: null when there is none.</summary>
public static class SqsLookup
{
    /// <summary>The URL of the queue <paramref name="name"/>.</summary>
    public static async Task<string?> QueueUrlAsync(SqsClient sqs, string name, CancellationToken ct)
    {
        try
        {
            return (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name }, ct).ConfigureAwait(false)).QueueUrl;
        }
        catch (Exception e) when (IsMissingQueue(e))
        {
            return null;
        }
    }

    /// <summary>The codes SQS answers for a queue that does not exist (query and JSON protocols).</summary>
    public static bool IsMissingQueue(Exception e) => AwsErrors.Is(e, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist");
}
