namespace Ops.Stack.Model;

/// <summary>
/// One SQS queue and its dead-letter queue. <see cref="VisibilityTimeoutSeconds"/> must exceed the worker's
/// longest message (<see cref="WorkerSpec.LongestMessageSeconds"/>) so a message in progress is not redelivered.
/// </summary>
public sealed record QueueSpec
{
    /// <summary>Queue name, like iotile-worker-dev.</summary>
    public required string Name { get; init; }

    /// <summary>Dead-letter queue name, like iotile-worker-dev-dlq.</summary>
    public required string DeadLetterName { get; init; }

    /// <summary>Receives before a message moves to the dead-letter queue (1–1000).</summary>
    public int MaxReceiveCount { get; init; } = 5;

    /// <summary>0–43200.</summary>
    public int VisibilityTimeoutSeconds { get; init; } = 900;

    /// <summary>60–1209600 (14 days).</summary>
    public int MessageRetentionSeconds { get; init; } = 345600;

    /// <summary>Dead-letter retention: 60–1209600.</summary>
    public int DeadLetterRetentionSeconds { get; init; } = 1209600;
}
