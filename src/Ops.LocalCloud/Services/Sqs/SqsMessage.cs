using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sqs;

/// <summary>A message in a queue: its body and attributes, when it becomes visible, and how often it was received.</summary>
internal sealed class SqsMessage
{
    public string Id { get; set; } = "";
    public string Body { get; set; } = "";
    public JsonObject? MessageAttributes { get; set; }
    public DateTimeOffset Sent { get; set; }
    public DateTimeOffset VisibleAt { get; set; }
    public DateTimeOffset? FirstReceived { get; set; }
    public DateTimeOffset? LastReceived { get; set; }
    public int ReceiveCount { get; set; }
    public string? ReceiptHandle { get; set; }
    public string? GroupId { get; set; }
    public string? DeduplicationId { get; set; }
    public string? SequenceNumber { get; set; }

    /// <summary>Received and its visibility timeout not yet over.</summary>
    public bool InFlight(DateTimeOffset now) => ReceiptHandle != null && VisibleAt > now;
}
