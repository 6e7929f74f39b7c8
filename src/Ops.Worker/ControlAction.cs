namespace Ops.Worker;

/// <summary>What the receive loop does with a control message it took over.</summary>
internal enum ControlAction
{
    /// <summary>Delete it and keep working.</summary>
    Delete,

    /// <summary>Make it visible again at once (ChangeMessageVisibility 0) for another worker, and keep working.</summary>
    PutBack,

    /// <summary>Stop receiving for good, finish every message held, record the drain, delete it, then stay idle until SIGTERM.</summary>
    Drain,
}
