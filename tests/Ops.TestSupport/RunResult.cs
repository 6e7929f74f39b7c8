using Ops.Targets;

namespace Ops.TestSupport;

/// <summary>What a test build run produced, as a user would see it.</summary>
public sealed record RunResult(BuildReport Report, string Out, string Err)
{
    public int ExitCode => Report.ExitCode;
    public ExecutionStatus Status(string target) =>
        Report[target]?.Status ?? throw new Xunit.Sdk.XunitException($"'{target}' is not in the results:\n{Out}\n{Err}");
}
