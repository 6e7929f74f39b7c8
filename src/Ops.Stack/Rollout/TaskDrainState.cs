namespace Ops.Stack.Rollout;

/// <summary>The drain states of one task in a rollout record.</summary>
public static class TaskDrainState
{
    public const string Pending = "pending";
    public const string Acknowledged = "acknowledged";
    public const string Stopped = "stopped";
    public const string Forced = "forced";
    public const string Protected = "protected";
    public const string Replaced = "replaced";
}
