using System.Diagnostics;
using Ops.LocalCloud;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Images;
using Ops.Stack.Model;

/// <summary>
/// build-docker's wall time through the same <see cref="ImagePublisher"/> the target runs: cold (a fresh podman store, an empty
/// registry, the worker image built FROM scratch and pushed for the first time) and unchanged (the same tree again: the
/// engine's cache builds it, ECR already holds it, nothing is pushed). LocalCloud's ECR is backed by a real docker-registry.
/// </summary>
static class ImageBench
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault() is { } r
            ? int.TryParse(r, out var n) && n > 0 ? n : throw new BenchException($"--runs wants a positive whole number, not '{r}'")
            : 3;
        var verbose = args.Contains("--verbose");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Console.WriteLine($"Ops.Bench images: {BenchEnvironment.MachineLine()}");
        Console.WriteLine($"{runs} run(s), each: fresh podman store (vfs) and registry, build-docker cold, then unchanged. Build arg BASE=scratch.");
        var root = BenchEnvironment.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("ops-bench-images-").FullName;
        var cold = new List<Phases>();
        var unchanged = new List<Phases>();
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                Console.WriteLine($"run {run}: load average {BenchEnvironment.LoadAverage()}");
                await using var podman = await PodmanService.StartFreshAsync(Path.Combine(work, "podman"), cancellationToken);
                var state = Path.Combine(work, $"state-{run}");
                await using var server = await LocalCloudServer.StartAsync(BenchEnvironment.Operator(new LocalCloudOptions
                {
                    Delays = LifecycleDelays.Instant,
                    StateDirectory = state,
                    RunRegistry = true,
                    RegistryPort = 0,
                }));
                if (!server.RegistryStatus.StartsWith("registry: docker-registry", StringComparison.Ordinal))
                    throw new BenchException($"the local cloud has no real registry behind ECR ({server.RegistryStatus}); install docker-registry (apt-get install docker-registry)");
                var stack = StackDefaults.For("bench");
                stack = stack with { Image = stack.Image with { BuildArgs = new Dictionary<string, string> { ["BASE"] = "scratch" } } };
                var connection = BenchEnvironment.Connection(server.Url);
                await new RepositoryProvisioner(new StageContext
                {
                    Connection = connection,
                    Stack = stack,
                    Log = new BenchStackLog(verbose),
                    RepositoryRoot = root,
                }).EnsureAsync(cancellationToken);
                var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = podman.DockerHost };

                var first = await PublishAsync(connection, stack, root, environment, verbose, cancellationToken);
                if (first.Image.AlreadyPushed) throw new BenchException("the cold run found the image already in ECR; the registry was not fresh");
                cold.Add(first.Phases);
                Console.WriteLine($"  cold:      {first.Phases}");
                var second = await PublishAsync(connection, stack, root, environment, verbose, cancellationToken);
                if (!second.Image.AlreadyPushed || second.Image.Digest != first.Image.Digest)
                    throw new BenchException($"the unchanged run pushed again ({second.Image.Reference}, first {first.Image.Reference}); the build is not reproducible");
                unchanged.Add(second.Phases);
                Console.WriteLine($"  unchanged: {second.Phases}");
            }
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine($"{"build-docker",-12} {"total s",22} {"prepare s",10} {"build s",10} {"push s",10}   (median (min–max) of {runs})");
        foreach (var (name, phases) in new[] { ("cold", cold), ("unchanged", unchanged) })
        {
            var total = Spread.Of(phases.Select(p => p.Total.TotalSeconds));
            Console.WriteLine($"{name,-12} {$"{total.Median:0.00} ({total.Min:0.00}–{total.Max:0.00})",22} " +
                              $"{Spread.Of(phases.Select(p => p.Prepare.TotalSeconds)).Median,10:0.00} {Spread.Of(phases.Select(p => p.Build.TotalSeconds)).Median,10:0.00} " +
                              $"{Spread.Of(phases.Select(p => p.Push.TotalSeconds)).Median,10:0.00}");
        }
        Console.WriteLine($"load average at the end: {BenchEnvironment.LoadAverage()}");
        return 0;
    }

    /// <summary>One build-docker through the publisher, timed as a whole and by phase (from its own progress lines).</summary>
    static async Task<(PublishedImage Image, Phases Phases)> PublishAsync(Ops.Aws.AwsConnection connection, StageStack stack, string root,
        IReadOnlyDictionary<string, string> environment, bool verbose, CancellationToken cancellationToken)
    {
        var log = new BenchStackLog(verbose);
        var clock = Stopwatch.StartNew();
        var image = await new ImagePublisher(connection, log).PublishAsync(stack, root, environment, dryRun: false, cancellationToken)
                    ?? throw new BenchException("the publisher published nothing");
        var total = clock.Elapsed;
        // A tag ECR already holds is neither prepared nor built: the whole run is the check, counted as its push phase.
        if (image.AlreadyPushed && log.FirstAt("building ") == null) return (image, new Phases(total, TimeSpan.Zero, TimeSpan.Zero, total));
        var building = log.FirstAt("building ") ?? throw new BenchException("the publisher logged no 'building' line");
        var built = log.FirstAt("built ") ?? throw new BenchException("the publisher logged no 'built' line");
        var prepare = log.FirstAt("prepare ") is { } p ? building - p : TimeSpan.Zero;
        return (image, new Phases(total, prepare, built - building, total - built));
    }
}
