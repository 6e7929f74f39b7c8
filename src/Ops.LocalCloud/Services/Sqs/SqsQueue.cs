using System.Text.Json.Serialization;

namespace Ops.LocalCloud.Services.Sqs;

/// <summary>A queue: its attributes and tags, its messages in send order, and (FIFO) the deduplication ids seen in the last five minutes.</summary>
internal sealed class SqsQueue
{
    public string Name { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public Dictionary<string, string> Attributes { get; set; } = new();
    public Dictionary<string, string> Tags { get; set; } = new();
    public List<SqsMessage> Messages { get; set; } = [];

    /// <summary>FIFO: deduplication key → the message first sent with it.</summary>
    public Dictionary<string, SqsDeduplication> Deduplication { get; set; } = new(StringComparer.Ordinal);

    /// <summary>FIFO: the last sequence number handed out.</summary>
    public long LastSequenceNumber { get; set; }

    public bool IsFifo => Attributes.GetValueOrDefault("FifoQueue") == "true";

    /// <summary>
    /// When the earliest of the queued messages expires, under the retention it was computed for; not kept in the state
    /// (a loaded queue is scanned once). Null: scan on the next look.
    /// </summary>
    [JsonIgnore]
    public (DateTimeOffset At, TimeSpan Retention)? NextExpiry { get; set; }
}
