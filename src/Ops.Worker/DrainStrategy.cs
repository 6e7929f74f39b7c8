namespace Ops.Worker;

/// <summary>OPS_DRAIN: how the rollout learns this worker is idle. Kill messages are answered with either.</summary>
internal enum DrainStrategy
{
    /// <summary><c>kill-ack</c>: answer kill messages only (the default).</summary>
    KillAck,

    /// <summary><c>task-protection</c>: also hold ECS task scale-in protection while holding a message.</summary>
    TaskProtection,
}
