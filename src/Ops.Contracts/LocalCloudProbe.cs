namespace Ops.Contracts;

/// <summary>
/// How a client tells an Ops local cloud from any other AWS-compatible endpoint (AWS, moto, LocalStack): an unsigned GET
/// of <see cref="Path"/> answers 200 with a JSON object whose <c>cloud</c> is <see cref="Name"/> and whose <c>tasks</c>
/// says how ECS tasks run there (<see cref="TasksAsProcesses"/>). Nothing else answers it.
/// </summary>
public static class LocalCloudProbe
{
    public const string Path = "/_ops/cloud";

    /// <summary>The <c>cloud</c> of the answer.</summary>
    public const string Name = "ops-local-cloud";

    /// <summary>The <c>tasks</c> of the answer: each task runs as host processes, without container instances.</summary>
    public const string TasksAsProcesses = "processes";
}
