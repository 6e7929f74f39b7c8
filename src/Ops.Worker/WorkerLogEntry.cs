namespace Ops.Worker;

/// <summary>The key of one worker-log item: this worker's uuid and the UTC time its message started (PynamoDB's format).</summary>
internal sealed record WorkerLogEntry(string WorkerUuid, string Timestamp);
