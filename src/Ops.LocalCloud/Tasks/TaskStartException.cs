namespace Ops.LocalCloud.Tasks;

/// <summary>A task's container could not be started; the task stops with <c>TaskFailedToStart</c> and this reason (ECS's wording).</summary>
internal sealed class TaskStartException(string reason, Exception? inner = null) : Exception(reason, inner);
