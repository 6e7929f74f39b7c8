namespace Ops.Stack.Rollout;

/// <summary>What one look at the service during update-ecs decides (<see cref="UpdateVerdict"/>).</summary>
internal enum UpdateOutcome
{
    /// <summary>Not there yet: look again.</summary>
    Waiting,

    /// <summary>The new revision runs the desired count alone and has stayed so for the settle time.</summary>
    Done,

    /// <summary>ECS's deployment circuit breaker put the service back on the previous revision.</summary>
    RolledBackByEcs,

    /// <summary>ECS marked the new deployment FAILED.</summary>
    DeploymentFailed,

    /// <summary>As many tasks of the new revision stopped on their own as the breaker's threshold.</summary>
    TasksFailed,

    /// <summary>The update timeout passed first.</summary>
    TimedOut,
}
