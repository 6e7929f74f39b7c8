using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

/// <summary>
/// The longest chain of a run: each target's duration from the run's summary table, the edges (dependency, ordering,
/// trigger) from the plan's graph (<c>--plan</c> writes it to .nuke/temp/plan.html). No schedule can finish the run
/// sooner than this chain, whatever its parallelism.
/// </summary>
static partial class CriticalPath
{
    /// <summary>Each target that ran, with its duration, from the summary table a run prints last.</summary>
    public static Dictionary<string, double> Durations(string output)
    {
        var durations = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in SummaryRow().Matches(output))
            durations[m.Groups["t"].Value] = Seconds(m.Groups["d"].Value);
        return durations;
    }

    /// <summary>The run's total from its summary table's last row.</summary>
    public static double Total(string output) =>
        TotalRow().Match(output) is { Success: true } m ? Seconds(m.Groups["d"].Value) : throw new BenchException("the run printed no summary total");

    static double Seconds(string text) =>
        text.IndexOf('m', StringComparison.Ordinal) is var m and > 0
            ? int.Parse(text[..m], CultureInfo.InvariantCulture) * 60 + double.Parse(text[(m + 1)..^1], CultureInfo.InvariantCulture)
            : double.Parse(text[..^1], CultureInfo.InvariantCulture);

    /// <summary>Each target's predecessors (what must finish before it starts), by name, from the plan page's graph.</summary>
    public static Dictionary<string, List<string>> Predecessors(string planHtml)
    {
        var graph = WebUtility.HtmlDecode(planHtml);
        var names = NodeLabel().Matches(graph).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["name"].Value.Replace(" (skipped)", "", StringComparison.Ordinal));
        var before = names.Values.Distinct().ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        foreach (Match m in Edge().Matches(graph))
        {
            if (!names.TryGetValue(m.Groups["a"].Value, out var a) || !names.TryGetValue(m.Groups["b"].Value, out var b)) continue;
            before[b].Add(a); // "a --> b", "a -.-> b": b after a; "a ==> b": a triggers b, which runs after it
        }
        return before;
    }

    /// <summary>The chain of targets whose durations add up to the most, and that sum.</summary>
    public static (double Seconds, IReadOnlyList<string> Chain) Longest(IReadOnlyDictionary<string, double> durations,
        IReadOnlyDictionary<string, List<string>> predecessors)
    {
        var finish = new Dictionary<string, (double At, string? From)>(StringComparer.Ordinal);
        (double At, string? From) Finish(string target, HashSet<string> path)
        {
            if (finish.TryGetValue(target, out var known)) return known;
            if (!path.Add(target)) throw new BenchException($"the plan's graph has a cycle through {target}");
            var best = (At: 0.0, From: (string?)null);
            foreach (var p in predecessors.GetValueOrDefault(target) ?? [])
                if (Finish(p, path).At is var at && at > best.At) best = (at, p);
            path.Remove(target);
            return finish[target] = (best.At + durations.GetValueOrDefault(target), best.From);
        }
        var last = durations.Keys.Concat(predecessors.Keys).Distinct().Select(t => (Target: t, Finish(t, []).At)).MaxBy(x => x.At);
        var chain = new List<string>();
        for (var t = last.Target; t != null; t = finish[t].From) chain.Add(t);
        chain.Reverse();
        return (last.At, chain);
    }

    [GeneratedRegex(@"^(?<t>[A-Za-z][\w-]*)\s+(?:Succeeded|Failed|Cancelled)\s+(?<d>\d+m\d\ds|\d+\.\d+s)", RegexOptions.Multiline)]
    private static partial Regex SummaryRow();

    [GeneratedRegex(@"^Total\s+(?<d>\d+m\d\ds|\d+\.\d+s)\s*$", RegexOptions.Multiline)]
    private static partial Regex TotalRow();

    [GeneratedRegex(@"^\s*(?<id>t_\S+)\[""(?<name>[^""]+)""\]", RegexOptions.Multiline)]
    private static partial Regex NodeLabel();

    [GeneratedRegex(@"^\s*(?<a>t_\S+) (?:-->|-\.->|==>) (?<b>t_\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Edge();
}
