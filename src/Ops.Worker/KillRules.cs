namespace Ops.Worker;

/// <summary>
/// The drain protocol's rules 1–5 (docs/drain-protocol.md): what this worker does with a kill message, the first rule that
/// applies winning. Rule 4 lets a message with <c>any_task</c> through for every worker of its <c>target_revision</c>.
/// </summary>
internal static class KillRules
{
    public static KillVerdict Decide(KillMessage kill, WorkerIdentity me, DateTimeOffset now)
    {
        if (kill.ExpiresAt is { } expires && expires < now) return KillVerdict.Expired;
        // An old-shape message whose age cannot be read cannot be shown to be meant for this worker: a stale drain must never halt it.
        if (kill.IsOldShape) return kill.Timestamp is { } sent && sent >= me.StartedAt ? KillVerdict.OldDrain : KillVerdict.OldBeforeStart;
        if (kill.Timestamp is { } timestamp && timestamp < me.StartedAt)
            return kill.TargetTask == null || kill.TargetTask == me.Server ? KillVerdict.StaleDelete : KillVerdict.StalePutBack;
        if (kill.TargetRevision != null && kill.TargetRevision != me.Revision) return KillVerdict.NotMine;
        // any_task: a worker of the named revision drains on any of the rollout's messages, not only the one naming it.
        var anyOfMyRevision = kill.AnyTask && kill.TargetRevision != null;
        if (kill.TargetTask != null && kill.TargetTask != me.Server && !anyOfMyRevision) return KillVerdict.NotMine;
        return KillVerdict.Mine;
    }
}
