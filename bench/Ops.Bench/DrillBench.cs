using System.Diagnostics;
using System.Text.Json.Nodes;

/// <summary>
/// <c>./build.sh drill --local-cloud-speed instant</c> as the README runs it (stage dev, the embedded local cloud with its
/// state in .nuke/temp/local-cloud), several times on a warm machine: wall time, and each phase and the RTO from the
/// drill's own JSON report. The first run also brings the stage up when it is not.
/// </summary>
static class DrillBench
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = int.TryParse(BenchArgs.Text(args, "--runs") ?? "3", out var n) && n is > 0 and <= 20 ? n : throw new BenchException("--runs wants a whole number 1–20");
        Console.WriteLine($"Ops.Bench drill: {BenchEnvironment.MachineLine()}");
        Console.WriteLine($"./build.sh drill --local-cloud-speed instant (stage dev, embedded local cloud), {runs} run(s) after one warm-up run.");
        var root = BenchEnvironment.RepositoryRoot();
        var reports = Path.Combine(root, ".nuke", "temp", "drills");
        var walls = new List<double>();
        var phases = new Dictionary<string, List<double>>();
        for (var run = 0; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var output = await ChildCommand.BuildShAsync(root, ["drill", "--local-cloud-speed", "instant"], cancellationToken);
            var wall = clock.Elapsed.TotalSeconds;
            if (run == 0)
            {
                var cloud = output.Contains("using the local cloud already running", StringComparison.Ordinal)
                    ? "a running ./build.sh local-cloud, with its own lifecycle speed"
                    : "the embedded local cloud";
                Console.WriteLine($"  warm-up: {wall:0.0} s ({cloud})");
                continue;
            }
            var report = JsonNode.Parse(await File.ReadAllTextAsync(new DirectoryInfo(reports).GetFiles("dev-*.json").OrderBy(f => f.LastWriteTimeUtc).Last().FullName,
                cancellationToken))!;
            if (!(bool)report["ok"]!) throw new BenchException($"the drill lost markers: {report.ToJsonString()}");
            walls.Add(wall);
            foreach (var phase in report["phases"]!.AsArray())
                (phases.TryGetValue((string)phase!["phase"]!, out var list) ? list : phases[(string)phase["phase"]!] = []).Add((double)phase["seconds"]!);
            (phases.TryGetValue("RTO", out var rto) ? rto : phases["RTO"] = []).Add((double)report["rto_seconds"]!);
            Console.WriteLine($"  run {run}: {wall:0.0} s, RTO {(double)report["rto_seconds"]!:0.0} s (load {BenchEnvironment.LoadAverage()})");
        }
        Console.WriteLine();
        Console.WriteLine($"{"wall",-9} {Spread.Of(walls).Format("s", "0.0")}");
        foreach (var (phase, values) in phases) Console.WriteLine($"{phase,-9} {Spread.Of(values).Format("s", "0.0")}");
        return 0;
    }

}
