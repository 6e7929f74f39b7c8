namespace Ops.LocalCloud.Services.Logs;

/// <summary>One log event: its timestamp and message, and when it was ingested (milliseconds since the epoch).</summary>
internal sealed record LogEvent(long Timestamp, string Message, long Ingested);
