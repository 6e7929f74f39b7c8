using Ops.Targets.Execution;

namespace Ops.Targets;

/// <summary>The outcome of one build invocation: its exit code and, when targets ran, how each ended.</summary>
public sealed record BuildReport(int ExitCode, IReadOnlyList<TargetResult> Results)
{
    public TargetResult? this[string target] => Results.FirstOrDefault(r => r.Name == target);
}
