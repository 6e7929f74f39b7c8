namespace Ops.Worker;

/// <summary>Who this worker is: its ECS task id (or the host name outside ECS), and the region its task ARN names, if any.</summary>
/// <param name="Server">The task id (the last part of the task ARN) or the host name; written as <c>server</c> in the worker log.</param>
/// <param name="TaskArn">The full task ARN from the metadata endpoint; null outside ECS.</param>
internal sealed record WorkerIdentity(string Server, string? TaskArn)
{
    /// <summary>The region in the task ARN (arn:aws:ecs:REGION:…), or null.</summary>
    public string? Region => TaskArn?.Split(':') is { Length: > 5 } parts && parts[3].Length > 0 ? parts[3] : null;
}
