using System.Text;
using Ops.Targets.Execution;

namespace Ops.Targets.Output;

/// <summary>Renders the end-of-run table: target, status, duration, short reason; then one verdict line.</summary>
internal static class SummaryWriter
{
    public static string Render(IReadOnlyList<TargetResult> results, TimeSpan total, int exitCode)
    {
        var nameWidth = Math.Max("Target".Length, results.Select(r => r.Name.Length).DefaultIfEmpty(0).Max()) + 2;
        const int statusWidth = 11, durationWidth = 10;
        var rule = new string('─', nameWidth + statusWidth + durationWidth + 30);
        var sb = new StringBuilder();
        sb.AppendLine(rule);
        sb.AppendLine($"{"Target".PadRight(nameWidth)}{"Status".PadRight(statusWidth)}{"Duration".PadLeft(durationWidth)}  Reason");
        sb.AppendLine(rule);
        foreach (var r in results)
        {
            var duration = r.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled ? FormatDuration(r.Duration) : "";
            sb.AppendLine($"{r.Name.PadRight(nameWidth)}{r.Status.ToString().PadRight(statusWidth)}{duration.PadLeft(durationWidth)}  {r.Reason}".TrimEnd());
        }
        sb.AppendLine(rule);
        sb.AppendLine($"{"Total".PadRight(nameWidth + statusWidth)}{FormatDuration(total).PadLeft(durationWidth)}");
        sb.AppendLine(Verdict(results, exitCode));
        return sb.ToString();
    }

    static string Verdict(IReadOnlyList<TargetResult> results, int exitCode)
    {
        string Count(ExecutionStatus s, string word) => results.Count(r => r.Status == s) is var n and > 0 ? $"{n} {word}" : "";
        var counts = string.Join(", ", new[]
        {
            Count(ExecutionStatus.Succeeded, "succeeded"), Count(ExecutionStatus.Failed, "failed"),
            Count(ExecutionStatus.Skipped, "skipped"), Count(ExecutionStatus.NotRun, "not run"),
            Count(ExecutionStatus.Cancelled, "cancelled"),
        }.Where(s => s.Length > 0));
        var word = exitCode switch
        {
            ExitCodes.Success => "Build succeeded",
            ExitCodes.Cancelled => "Build cancelled",
            _ => "Build failed",
        };
        return $"{word}: {counts} (exit code {exitCode}).";
    }

    public static string FormatDuration(TimeSpan t) =>
        t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0.00}s";
}
