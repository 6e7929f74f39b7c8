namespace Ops.LocalCloud.Tasks;

/// <summary>
/// How a task ended: the stop code and reason ECS shows when nothing had asked it to stop (null when something had:
/// the requester's code and reason stand), and each container's exit code or reason.
/// </summary>
internal sealed record TaskExit(string? StopCode, string? StoppedReason, IReadOnlyList<ContainerExit> Containers, DateTimeOffset At, string? Runner = null);
