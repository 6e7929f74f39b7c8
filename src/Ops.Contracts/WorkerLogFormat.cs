namespace Ops.Contracts;

/// <summary>
/// The worker log of docs/drain-protocol.md (IOTile's PynamoDB <c>WorkerLog</c> model): hash <c>worker_uuid</c>, range
/// <c>timestamp</c>, a <c>task-index</c> GSI on task + timestamp, and the status of the drain's item.
/// </summary>
public static class WorkerLogFormat
{
    public const string WorkerUuid = "worker_uuid";
    public const string Timestamp = "timestamp";
    public const string Task = "task";
    public const string Status = "status";
    public const string Arguments = "arguments";
    public const string ExecutionTime = "execution_time";
    public const string MessageId = "message_id";
    public const string Server = "server";

    /// <summary>The GSI the rollout queries for drain items: hash <see cref="Task"/>, range <see cref="Timestamp"/>.</summary>
    public const string TaskIndex = "task-index";

    /// <summary>The status of the item a worker writes when it drained.</summary>
    public const string ShutDownStatus = "ShutDown-0";

    /// <summary>The status of an item whose work is still running.</summary>
    public const string Executing = "executing";

    /// <summary>PynamoDB's UTCDateTimeAttribute format: 2026-11-23T10:00:00.000000+0000.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'+0000'";
}
