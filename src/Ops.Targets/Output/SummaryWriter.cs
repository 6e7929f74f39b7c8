using System.Text;
using Ops.Targets.Execution;

namespace Ops.Targets.Output;

/// <summary>Renders the end-of-run table: target, status, duration, reason (wrapped, never cut); then one verdict line.</summary>
internal static class SummaryWriter
{
    /// <summary>The table's width when reasons are wrapped; the reason column gets at least 40 characters.</summary>
    public const int Width = 100;

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
            var indent = nameWidth + statusWidth + durationWidth + 2;
            var lines = Wrap(r.Reason ?? "", Math.Max(40, Width - indent));
            sb.AppendLine($"{r.Name.PadRight(nameWidth)}{r.Status.ToString().PadRight(statusWidth)}{duration.PadLeft(durationWidth)}  {lines[0]}".TrimEnd());
            foreach (var more in lines.Skip(1)) sb.AppendLine(new string(' ', indent) + more);
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

    /// <summary>Breaks text into lines of at most <paramref name="width"/> characters at spaces; a longer word gets a line of its own.</summary>
    internal static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }

    public static string FormatDuration(TimeSpan t) =>
        t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0.00}s";
}
