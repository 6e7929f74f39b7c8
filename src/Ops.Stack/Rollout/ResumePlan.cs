using Ops.Contracts;
namespace Ops.Stack.Rollout;

/// <summary>The resume decisions after a crash or between targets: from the newest rollout record, what each target does (pure).</summary>
public static class ResumePlan
{
    /// <summary>shutdown-ecs-workers: continue an unfinished drain, leave a later phase to update-ecs, else start.</summary>
    public static ResumeAction ForDrain(RolloutRecord? newest) => newest switch
    {
        null => ResumeAction.Start,
        _ when RolloutPhase.IsTerminal(newest.Phase) => ResumeAction.Start,
        { Phase: RolloutPhase.Draining } => ResumeAction.ContinueDrain,
        _ => ResumeAction.PastDrain,
    };

    /// <summary>
    /// update-ecs: a drained record is updated, an updating one continued, a rolling-back one finished; with kill-ack and no
    /// drained record it refuses unless <paramref name="force"/> (task-protection needs no drain).
    /// </summary>
    public static ResumeAction ForUpdate(RolloutRecord? newest, DrainStrategy strategy, bool force) => newest switch
    {
        null or { Phase: RolloutPhase.Completed or RolloutPhase.RolledBack or RolloutPhase.TornDown } =>
            strategy == DrainStrategy.KillAck && !force ? ResumeAction.RefuseNotDrained : ResumeAction.Start,
        { Phase: RolloutPhase.Draining } => newest.Strategy == DrainStrategy.KillAck && !force ? ResumeAction.RefuseNotDrained : ResumeAction.Update,
        { Phase: RolloutPhase.Drained } => ResumeAction.Update,
        { Phase: RolloutPhase.Updating } => ResumeAction.ContinueUpdate,
        { Phase: RolloutPhase.RollingBack } => ResumeAction.FinishRollback,
        _ => ResumeAction.Start,
    };
}
