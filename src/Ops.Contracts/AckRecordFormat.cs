namespace Ops.Contracts;

/// <summary>
/// The acknowledgement record of docs/drain-protocol.md: one item per drained task in the rollout table, partition
/// <c>ack#</c> + rollout id, sort key the task id. The worker writes it; the rollout queries the partition.
/// </summary>
public static class AckRecordFormat
{
    /// <summary>What every acknowledgement partition key starts with.</summary>
    public const string PartitionPrefix = "ack#";

    public const string PartitionKey = "pk";
    public const string SortKey = "sk";
    public const string RolloutId = "rollout_id";
    public const string TaskId = "task_id";
    public const string TaskArn = "task_arn";
    public const string Revision = "revision";
    public const string WorkerUuid = "worker_uuid";
    public const string AckedAt = "acked_at";
    public const string KillMessageId = "kill_message_id";
    public const string Finished = "finished";

    /// <summary>The partition of <paramref name="rolloutId"/>'s acknowledgements.</summary>
    public static string Partition(string? rolloutId) => PartitionPrefix + rolloutId;
}
