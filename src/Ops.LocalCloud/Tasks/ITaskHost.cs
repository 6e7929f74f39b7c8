using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// What the process task runner tells ECS and asks of it: a task's processes started or ended (applied to ECS state
/// under its lock and persisted), and the task's view for the metadata and agent endpoints.
/// </summary>
internal interface ITaskHost
{
    /// <summary>Every container of the task has a running process (<paramref name="runner"/>: its <c>ops.runner</c> attribute).</summary>
    void TaskStarted(string cluster, string taskId, string runner, DateTimeOffset at);

    /// <summary>The task's processes are gone: it is STOPPED with this outcome.</summary>
    void TaskStopped(string cluster, string taskId, TaskExit exit);

    /// <summary>The task metadata (v4 <c>/task</c> shape), or null when the task is unknown.</summary>
    JsonObject? TaskMetadata(string cluster, string taskId);

    /// <summary>The task's scale-in protection, changed first when <paramref name="enable"/> is given; durable when it completes.</summary>
    Task<TaskProtection> ProtectionAsync(string cluster, string taskId, bool? enable, int expiresInMinutes, CancellationToken cancellationToken);

    /// <summary>Called once the runner is ready (leftovers reaped): tasks a previous run left RUNNING are marked STOPPED and replaced.</summary>
    void Resume();
}
