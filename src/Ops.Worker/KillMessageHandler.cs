namespace Ops.Worker;

/// <summary>Answers the rollout's kill messages (<c>apps.sqsworker.worker.WorkerShutDownAction</c>) by the drain protocol's rules, whatever OPS_DRAIN
/// says.</summary>
internal sealed class KillMessageHandler(WorkerIdentity identity, TimeProvider clock) : IControlMessageHandler
{
    public ControlDecision? TryHandle(WorkMessage message, string messageId)
    {
        if (!KillMessage.Is(message)) return null;
        var kill = KillMessage.From(message);
        var rollout = kill.RolloutId is { } id ? $"rollout {id}" : "old-style";
        var target = $"for task {kill.TargetTask ?? "(any)"}{(kill.TargetRevision is { } r ? $" at {r}" : "")}";
        return KillRules.Decide(kill, identity, clock.GetUtcNow()) switch
        {
            KillVerdict.Expired => new(ControlAction.Delete, $"ignored kill message {messageId} ({rollout}, expired at {kill.ExpiresAt:O}; deleted)"),
            KillVerdict.OldBeforeStart => new(ControlAction.Delete,
                $"ignored kill message {messageId} ({rollout}, {(kill.Timestamp is { } t ? $"sent {t:O}, before this worker started" : "no readable timestamp")}; deleted)"),
            KillVerdict.StaleDelete => new(ControlAction.Delete, $"ignored kill message {messageId} ({rollout} {target}, sent {kill.Timestamp:O}, before this worker started; deleted)"),
            KillVerdict.StalePutBack => new(ControlAction.PutBack, $"ignored kill message {messageId} ({rollout} {target}, sent before this worker started; put back)"),
            KillVerdict.NotMine => new(ControlAction.PutBack, $"ignored kill message {messageId} ({rollout} {target}, put back)"),
            KillVerdict.OldDrain => new(ControlAction.Drain, $"old-style kill message {messageId}", kill, Acknowledge: false),
            _ => kill.AckTable == null
                ? new(ControlAction.Drain, $"kill message {messageId} (no ack_table: the worker-log item only)", kill, Acknowledge: false)
                : new(ControlAction.Drain, $"kill message {messageId}", kill, Acknowledge: true),
        };
    }
}
