namespace Ops.Stack.Rollout;

/// <summary>What a target does given the newest rollout record (see <see cref="ResumePlan"/>).</summary>
public enum ResumeAction
{
    /// <summary>No rollout in progress: start a new one.</summary>
    Start,
    /// <summary>A drain was interrupted: continue it (same rollout id, acked tasks untouched).</summary>
    ContinueDrain,
    /// <summary>The drain is done: nothing left for shutdown-ecs-workers; update-ecs goes on.</summary>
    PastDrain,
    /// <summary>Drained: register and roll out the new revision.</summary>
    Update,
    /// <summary>UpdateService may have been called: wait for it (or call it), roll back on failure.</summary>
    ContinueUpdate,
    /// <summary>A rollback was interrupted: finish it.</summary>
    FinishRollback,
    /// <summary>kill-ack and the workers have not all acknowledged: refuse (exit 1) unless --force.</summary>
    RefuseNotDrained,
}
