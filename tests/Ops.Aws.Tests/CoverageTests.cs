using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Ops.Aws.Tests;

/// <summary>Guards: the generated code is what the generator makes now, and every listed operation is tested or a known moto gap.</summary>
public class CoverageTests
{
    static readonly string Root = RepositoryRoot.Path;

    [Fact]
    public async Task Generated_code_matches_a_fresh_generation()
    {
        var info = new ProcessStartInfo("python3", [Path.Combine(Root, "tools/aws/generate.py"), "--check"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(info)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, output);
    }

    [Fact]
    public void Every_listed_operation_and_waiter_is_exercised_or_a_known_moto_gap()
    {
        var gaps = File.ReadAllLines(Path.Combine(Root, "tests/Ops.Aws.Tests/moto-gaps.txt"))
            .Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0)
            .Select(l => l[..l.IndexOf(':')]).ToHashSet();
        var sources = Directory.GetFiles(Path.Combine(Root, "tests/Ops.Aws.Tests"), "*.cs").ToDictionary(f => f, File.ReadAllText);
        var missing = new List<string>();
        var names = new Dictionary<string, string>();
        foreach (var raw in File.ReadAllLines(Path.Combine(Root, "tools/aws/operations.txt")))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var head = line[..line.IndexOf(':')].Split(' ');
            var (service, kind) = (head[0], head[1]);
            if (kind != "waiters") names[service] = kind;
            var client = $"{names[service]}Client";
            var files = sources.Where(s => s.Value.Contains(client)).Select(s => s.Value).ToList();
            foreach (var name in line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = kind == "waiters" ? $"{service} waiter {name}" : $"{service} {name}";
                var call = kind == "waiters" ? new Regex($@"\.WaitUntil{name}Async\(") : new Regex($@"\.{name}(Pages|Items)?Async\(");
                var covered = files.Any(f => call.IsMatch(f));
                if (covered && gaps.Contains(key)) missing.Add($"{key} is tested now: remove it from moto-gaps.txt");
                if (!covered && !gaps.Contains(key)) missing.Add($"{key} is not called by any test and not in moto-gaps.txt");
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }
}
