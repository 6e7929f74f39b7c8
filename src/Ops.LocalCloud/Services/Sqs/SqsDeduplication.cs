namespace Ops.LocalCloud.Services.Sqs;

/// <summary>A FIFO deduplication id seen recently: which message it produced, and when (the window is five minutes from then).</summary>
internal sealed class SqsDeduplication
{
    public string MessageId { get; set; } = "";
    public string? SequenceNumber { get; set; }
    public DateTimeOffset Sent { get; set; }
}
