namespace Ops.Targets.Execution;

/// <summary>How one target ended: status, time spent in its bodies, and a short reason when it did not succeed.</summary>
public sealed record TargetResult(string Name, ExecutionStatus Status, TimeSpan Duration, string? Reason)
{
    internal bool IsUsageError { get; init; }
}
