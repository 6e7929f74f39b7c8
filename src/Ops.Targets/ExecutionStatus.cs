namespace Ops.Targets;

/// <summary>How a target ended in a run.</summary>
public enum ExecutionStatus
{
    NotRun,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}
