using Ops.Contracts;
namespace Ops.Stack.Model;

/// <summary>What the workers are like: how long their longest message may take, and how a rollout drains them.</summary>
public sealed record WorkerSpec
{
    /// <summary>The longest a single message may take to process; queue visibility timeouts must be longer.</summary>
    public int LongestMessageSeconds { get; init; } = 600;

    /// <summary>Default drain strategy for rollouts as written (worker.drain: kill-ack or task-protection; checked on load).</summary>
    public string Drain { get; init; } = DrainStrategies.KillAck;

    /// <summary><see cref="Drain"/> as the strategy it names.</summary>
    public DrainStrategy Strategy => DrainStrategies.TryParse(Drain, out var strategy) ? strategy : DrainStrategy.KillAck;
}
