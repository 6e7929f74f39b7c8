namespace Ops.Stack.Rollout;

/// <summary>One task of the service as the rollout sees it (id, Family:Revision, statuses, and why it stopped).</summary>
public sealed record LiveTask(
    string Id, string Arn, string Revision, string TaskDefinitionArn, string LastStatus, string DesiredStatus, string? StartedBy,
    string? StoppedReason, string? StopCode, int? ExitCode)
{
    /// <summary>Family:Revision of a task-definition ARN (arn:…:task-definition/iotile-worker-dev:7 → iotile-worker-dev:7).</summary>
    public static string RevisionOf(string? taskDefinitionArn) => taskDefinitionArn?.Split('/')[^1] ?? "";
}
