namespace Ops.LocalCloud.Services.Sqs;

/// <summary>Everything SQS keeps: its queues by name.</summary>
internal sealed class SqsState
{
    public SortedDictionary<string, SqsQueue> Queues { get; set; } = new(StringComparer.Ordinal);
}
