using System.Diagnostics;
using System.Globalization;
using Ops.LocalCloud;
using Ops.LocalCloud.Diagnostics;

/// <summary>
/// <c>./build.sh up</c> on a fresh LocalCloud with realistic provisioning delays (RDS and Redshift 12 s to available, Redis
/// 4 s, tasks 1 s; the web tier's environment runs its real web process), as a child process: wall time with the target
/// engine's parallelism against <c>--parallel 1</c>, and the parallel run's targets against their longest dependency chain
/// (<see cref="CriticalPath"/>); then the API calls of a second, no-op <c>up</c>, per service and kind.
/// </summary>
static class UpBench
{
    const string StageName = "benchup";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = int.TryParse(BenchArgs.Text(args, "--runs") ?? "3", out var n) && n is > 0 and <= 20 ? n : throw new BenchException("--runs wants a whole number 1–20");
        var parallel = int.TryParse(BenchArgs.Text(args, "--parallel") ?? "4", out var p) && p is > 1 and <= 32 ? p : throw new BenchException("--parallel wants a whole number 2–32 (it is compared with 1)");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Console.WriteLine($"Ops.Bench up: {BenchEnvironment.MachineLine()}");
        Console.WriteLine($"./build.sh up on a fresh in-process LocalCloud per run, delays {Describe(LifecycleDelays.Realistic)}; " +
                          $"data stores simulated (their delays, not initdb), workers `sleep`, the web tier's real web process; {runs} run(s) per mode.");
        var root = BenchEnvironment.RepositoryRoot();
        await ChildCommand.BuildShAsync(root, ["--help"], cancellationToken); // builds the build project once, outside the measurements

        var walls = new Dictionary<int, List<double>> { [parallel] = [], [1] = [] };
        var chains = new List<double>();
        var engine = new List<double>();
        IReadOnlyList<string> chain = [];
        string? calls = null;
        for (var run = 0; run < runs; run++)
            foreach (var mode in new[] { parallel, 1 })
            {
                var measured = await MeasureAsync(root, mode, countCalls: calls == null, cancellationToken);
                walls[mode].Add(measured.Wall);
                calls ??= measured.Calls;
                var line = $"  run {run + 1}, --parallel {mode}: {measured.Wall:0.0} s";
                if (mode == parallel)
                {
                    // The longest chain of this run's own target durations: no schedule finishes the targets sooner.
                    var durations = CriticalPath.Durations(measured.Output);
                    (var longest, chain) = CriticalPath.Longest(durations, measured.Predecessors);
                    var total = CriticalPath.Total(measured.Output);
                    chains.Add(longest);
                    engine.Add(total);
                    line += $", targets {total:0.0} s against their longest chain {longest:0.0} s";
                }
                Console.WriteLine($"{line} (load {BenchEnvironment.LoadAverage()})");
            }

        Console.WriteLine();
        foreach (var (mode, values) in walls)
            Console.WriteLine($"up --parallel {mode,-2}  wall {Spread.Of(values).Format("s", "0.0")}");
        Console.WriteLine($"speed-up: {Spread.Of(walls[1]).Median / Spread.Of(walls[parallel]).Median:0.00}× (medians)");
        Console.WriteLine($"longest dependency chain of the --parallel {parallel} runs: {Spread.Of(chains).Format("s", "0.0")}: {string.Join(" → ", chain)}");
        Console.WriteLine($"their targets took {Spread.Of(engine).Format("s", "0.0")} from first start to last finish: " +
                          $"{Spread.Of(engine).Median / Spread.Of(chains).Median:0.00}× the chain (1.00× is the bound of any schedule)");
        Console.WriteLine();
        Console.WriteLine(calls);
        return 0;
    }

    /// <summary>One fresh up (timed); with <paramref name="countCalls"/>, a second up and the table of its calls.</summary>
    static async Task<(double Wall, string Output, Dictionary<string, List<string>> Predecessors, string? Calls)> MeasureAsync(string root, int parallel,
        bool countCalls, CancellationToken cancellationToken)
    {
        var state = Directory.CreateTempSubdirectory("ops-bench-up-").FullName;
        try
        {
            await using var server = await LocalCloudServer.StartAsync(BenchEnvironment.Operator(new LocalCloudOptions
            {
                Delays = LifecycleDelays.Realistic,
                StateDirectory = Path.Combine(state, "cloud"),
                RunDataStores = false,
            }));
            var stackFile = Path.Combine(state, "stack.yml");
            await File.WriteAllTextAsync(stackFile, $$"""
                stages:
                  {{StageName}}:
                    repository: {name: {{StageName}}-worker}
                    local: {command: [sleep, "600"], prepare: []}
                """, cancellationToken);
            string[] Args(params string[] extra) => ["up", "--stage", StageName, "--stack", stackFile, "--endpoint-url", server.Url.ToString(), .. extra];

            await ChildCommand.BuildShAsync(root, Args("--plan"), cancellationToken);
            var predecessors = CriticalPath.Predecessors(await File.ReadAllTextAsync(Path.Combine(root, ".nuke", "temp", "plan.html"), cancellationToken));
            var clock = Stopwatch.StartNew();
            var first = await ChildCommand.BuildShAsync(root, Args("--parallel", parallel.ToString(CultureInfo.InvariantCulture)), cancellationToken);
            var wall = clock.Elapsed.TotalSeconds;
            if (!countCalls) return (wall, first, predecessors, null);

            var before = server.Requests.Entries.Count;
            var output = await ChildCommand.BuildShAsync(root, Args(), cancellationToken);
            if (!output.Contains($"stage {StageName} is up: nothing to change", StringComparison.Ordinal))
                throw new BenchException($"the second up changed something: {output.Split('\n').LastOrDefault(l => l.Contains("is up", StringComparison.Ordinal))}");
            var entries = server.Requests.Entries.Skip(before).ToList();
            var status = await ChildCommand.BuildShAsync(root, ["status", "--stage", StageName, "--stack", stackFile, "--endpoint-url", server.Url.ToString(), "--output", "json"], cancellationToken);
            var resources = System.Text.Json.Nodes.JsonNode.Parse(status)!["resources"]!.AsArray().Count;
            return (wall, first, predecessors, Calls(entries, resources));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>The no-op up's calls: per service, reads and writes (anything but Describe/List/Get/HEAD/GET), and the total per resource.</summary>
    static string Calls(IReadOnlyList<LoggedRequest> entries, int resources)
    {
        static bool IsRead(LoggedRequest e) =>
            e.Operation.StartsWith("Describe", StringComparison.Ordinal) || e.Operation.StartsWith("List", StringComparison.Ordinal)
            || e.Operation.StartsWith("Get", StringComparison.Ordinal) || e.Operation.StartsWith("GET ", StringComparison.Ordinal)
                || e.Operation.StartsWith("HEAD ", StringComparison.Ordinal);
        var lines = new List<string> { $"API calls of a no-op up (second run, nothing to change), {resources} resources in status:", $"  {"service",-18} {"reads",6} {"writes",6}  operations" };
        foreach (var service in entries.GroupBy(e => e.Service).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ops = string.Join(", ", service.GroupBy(e => e.Operation).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
            lines.Add($"  {service.Key,-18} {service.Count(IsRead),6} {service.Count(e => !IsRead(e)),6}  {ops}");
        }
        var reads = entries.Count(IsRead);
        lines.Add($"  {"total",-18} {reads,6} {entries.Count - reads,6}  ({(double)reads / resources:0.00} reads per resource)");
        return string.Join('\n', lines);
    }

    static string Describe(LifecycleDelays d) =>
        $"RDS {d.Database.TotalSeconds:0} s per step, Redshift {d.Warehouse.TotalSeconds:0} s, ElastiCache {d.Cache.TotalSeconds:0} s, tasks {d.Task.TotalSeconds:0} s";

}
