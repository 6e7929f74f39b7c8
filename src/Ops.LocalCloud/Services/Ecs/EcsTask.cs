namespace Ops.LocalCloud.Services.Ecs;

/// <summary>
/// An ECS task: where it runs, who started it, and the timestamps its status follows from
/// (see <see cref="EcsScheduler.LastStatus"/>); a stopped task keeps its reason and code. A task run by the process
/// task runner (<see cref="Reported"/>) follows what its processes did instead of the clock.
/// </summary>
internal sealed class EcsTask
{
    public string Id { get; set; } = "";
    public string TaskDefinition { get; set; } = "";
    public string? ContainerInstance { get; set; }
    public string Group { get; set; } = "";
    public string? StartedBy { get; set; }
    public string? DeploymentId { get; set; }
    public string LaunchType { get; set; } = "EC2";
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset? StopRequested { get; set; }
    public string? StoppedReason { get; set; }
    public string? StopCode { get; set; }
    public DateTimeOffset? ProtectedUntil { get; set; }

    /// <summary>RunTask's or StartTask's <c>overrides</c> (containerOverrides: command, environment), shown by DescribeTasks.</summary>
    public System.Text.Json.Nodes.JsonObject? Overrides { get; set; }

    /// <summary>Its status is what the task runner reported (started, stopped), not derived from the clock.</summary>
    public bool Reported { get; set; }

    /// <summary>Which runner ran it (the <c>ops.runner</c> attribute): local-command, image-process or container.</summary>
    public string? Runner { get; set; }

    /// <summary>When its processes were all running (reported tasks).</summary>
    public DateTimeOffset? RunningSince { get; set; }

    /// <summary>When its processes were gone (reported tasks).</summary>
    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>Each container's exit code or reason, once stopped (reported tasks).</summary>
    public List<Tasks.ContainerExit>? Exits { get; set; }
}
