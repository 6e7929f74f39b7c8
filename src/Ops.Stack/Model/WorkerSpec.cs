using Ops.Contracts;
namespace Ops.Stack.Model;

/// <summary>What the workers are like: how long their longest message may take, and how a rollout drains them.</summary>
public sealed record WorkerSpec
{
    /// <summary>The longest a single message may take to process; queue visibility timeouts must be longer.</summary>
    public int LongestMessageSeconds { get; init; } = 600;

    /// <summary>Default drain strategy for rollouts (worker.drain: kill-ack or task-protection).</summary>
    public DrainStrategy Drain { get; init; } = DrainStrategy.KillAck;
}
