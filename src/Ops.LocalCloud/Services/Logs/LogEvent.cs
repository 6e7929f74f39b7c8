namespace Ops.LocalCloud.Services.Logs;

/// <summary>
/// One log event: its timestamp and message, when it was ingested (milliseconds since the epoch), and an id unique in
/// the service, by which the state log writes it as a record of its stream (events kept from before ids have none).
/// </summary>
internal sealed record LogEvent(long Timestamp, string Message, long Ingested, string? Id = null);
