namespace Ops.Stack.Rollout;

/// <summary>
/// The phases a rollout record goes through (draining → drained → updating → completed, or → rolling-back → rolled-back;
/// teardown: draining → drained → torn-down, the service removed instead of updated).
/// </summary>
public static class RolloutPhase
{
    public const string Draining = "draining";
    public const string Drained = "drained";
    public const string Updating = "updating";
    public const string RollingBack = "rolling-back";
    public const string Completed = "completed";
    public const string RolledBack = "rolled-back";
    public const string TornDown = "torn-down";

    /// <summary>True for a phase a rollout ends in: the next run starts a new rollout.</summary>
    public static bool IsTerminal(string phase) => phase is Completed or RolledBack or TornDown;
}
