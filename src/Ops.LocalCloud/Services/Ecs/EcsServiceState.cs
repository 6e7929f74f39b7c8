using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>An ECS service: its desired count, deployment limits, deployments (newest, PRIMARY, first) and events.</summary>
internal sealed class EcsServiceState
{
    public string Name { get; set; } = "";
    public string Status { get; set; } = "ACTIVE";
    public int DesiredCount { get; set; }
    public string LaunchType { get; set; } = "EC2";
    public int MaximumPercent { get; set; } = 200;
    public int MinimumHealthyPercent { get; set; } = 100;
    public bool CircuitBreakerEnable { get; set; }
    public bool CircuitBreakerRollback { get; set; }
    public DateTimeOffset Created { get; set; }
    public List<EcsDeployment> Deployments { get; set; } = [];
    public List<JsonObject> Events { get; set; } = [];
    public bool Steady { get; set; }

    /// <summary>Tasks in a row that stopped on their own soon after starting (or never started): the launch backoff grows with them.</summary>
    public int FailedTasks { get; set; }

    /// <summary>No replacement is launched before this (ECS's service throttle after failing tasks).</summary>
    public DateTimeOffset? LaunchNotBefore { get; set; }

    /// <summary>The id of the last deployment that reached COMPLETED: what the circuit breaker rolls back to.</summary>
    public string? LastCompletedDeployment { get; set; }

    /// <summary>The task definition of <see cref="LastCompletedDeployment"/>.</summary>
    public string? LastCompletedTaskDefinition { get; set; }
}
