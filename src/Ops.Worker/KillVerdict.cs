namespace Ops.Worker;

/// <summary>Which of the drain protocol's rules 1–5 a kill message falls under, in the order they are taken.</summary>
internal enum KillVerdict
{
    /// <summary>Rule 1: past its <c>expires_at</c>; deleted.</summary>
    Expired,

    /// <summary>Rule 2: old shape sent before this worker started (or with no readable timestamp); deleted.</summary>
    OldBeforeStart,

    /// <summary>Rule 2: old shape sent after this worker started; drained without an acknowledgement record.</summary>
    OldDrain,

    /// <summary>Rule 3: sent before this worker started, naming this task or no task; deleted.</summary>
    StaleDelete,

    /// <summary>Rule 3: sent before this worker started, for another task; put back.</summary>
    StalePutBack,

    /// <summary>Rule 4: for another task or revision; put back.</summary>
    NotMine,

    /// <summary>Rule 5: for this task and revision; drained and acknowledged.</summary>
    Mine,
}
