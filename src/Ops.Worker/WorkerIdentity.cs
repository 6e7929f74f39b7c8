namespace Ops.Worker;

/// <summary>Who this worker is: its ECS task id (or the host name outside ECS), task ARN, revision and start time.</summary>
/// <param name="Server">The task id (the last part of the task ARN) or the host name; written as <c>server</c> in the worker log.</param>
/// <param name="TaskArn">The full task ARN from the metadata endpoint; null outside ECS.</param>
/// <param name="Revision">The task definition as <c>Family:Revision</c>; empty when unknown (outside ECS).</param>
/// <param name="StartedAt">When this worker process started (its own clock, UTC): kill messages sent before are stale.</param>
internal sealed record WorkerIdentity(string Server, string? TaskArn, string Revision = "", DateTimeOffset StartedAt = default)
{
    /// <summary>The region in the task ARN (arn:aws:ecs:REGION:…), or null.</summary>
    public string? Region => TaskArn?.Split(':') is { Length: > 5 } parts && parts[3].Length > 0 ? parts[3] : null;
}
