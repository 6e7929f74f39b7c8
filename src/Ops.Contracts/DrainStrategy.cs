namespace Ops.Contracts;

/// <summary>How a rollout learns that a worker is idle (the stack's <c>worker.drain</c>, the worker's <c>OPS_DRAIN</c>, <c>--drain</c>).</summary>
public enum DrainStrategy
{
    /// <summary><c>kill-ack</c>: one kill message per task, then wait for each acknowledgement (the default).</summary>
    KillAck,

    /// <summary><c>task-protection</c>: the worker holds ECS task scale-in protection while it holds a message.</summary>
    TaskProtection,
}
