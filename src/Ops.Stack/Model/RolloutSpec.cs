namespace Ops.Stack.Model;

/// <summary>How a rollout of the workers runs: its DynamoDB table (lease, records, acknowledgements) and how long it waits.</summary>
public sealed record RolloutSpec
{
    /// <summary>The rollout table (<c>iotile-rollouts-{stage}</c>): hash pk, range sk.</summary>
    public required string Table { get; init; }

    /// <summary>How long shutdown-ecs-workers waits for every task to acknowledge (15m); kill messages expire then.</summary>
    public int DrainTimeoutSeconds { get; init; } = 900;

    /// <summary>How long update-ecs waits for the new deployment to run the desired count before it rolls back (10m).</summary>
    public int UpdateTimeoutSeconds { get; init; } = 600;
}
