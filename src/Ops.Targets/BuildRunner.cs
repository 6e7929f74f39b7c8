using System.Diagnostics;
using System.Runtime.InteropServices;
using Ops.Targets.Cli;
using Ops.Targets.Execution;
using Ops.Targets.Output;
using Ops.Targets.Parameters;
using Ops.Targets.Planning;
using Ops.Targets.Text;

namespace Ops.Targets;

/// <summary>Runs one build invocation: parse, bind parameters, validate, plan, execute, summarise.</summary>
public static class BuildRunner
{
    public static async Task<BuildReport> RunAsync(BuildBase build, IReadOnlyList<string> args, BuildHost host, string? defaultTarget = null)
    {
        using var console = new BuildConsole(host.Out, host.Error, host.IsTerminal, host.ErrorIsTerminal);
        build.Attach(console, host.RootDirectory, host.Environment);
        var originalOut = Console.Out;
        var originalError = Console.Error;
        if (host.RedirectConsole)
        {
            Console.SetOut(new TargetAwareWriter(console, LogLevel.Info));
            Console.SetError(new TargetAwareWriter(console, LogLevel.Error));
        }
        try
        {
            return await RunCoreAsync(build, args, host, defaultTarget, console);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Outside any target (Validate, a requirement or validation, a static condition): explained by the build as a
            // target's failure would be, then reported like one.
            switch (e is UsageException or BuildDefinitionException ? e : build.RunExplain(e))
            {
                case UsageException usage:
                    console.UsageError(usage.Message);
                    return new BuildReport(ExitCodes.UsageError, []);
                case BuildDefinitionException definition:
                    console.UsageError($"build definition: {definition.Message}");
                    return new BuildReport(ExitCodes.TargetFailed, []);
                case BuildFailedException failed:
                    console.UsageError(console.Verbosity == Verbosity.Verbose ? e.ToString() : failed.Message);
                    return new BuildReport(ExitCodes.TargetFailed, []);
                default:
                    console.UsageError(console.Verbosity == Verbosity.Verbose ? e.ToString() : BuildExecutor.Describe(e));
                    return new BuildReport(ExitCodes.TargetFailed, []);
            }
        }
        finally
        {
            console.StopProgress();
            if (host.RedirectConsole)
            {
                Console.SetOut(originalOut);
                Console.SetError(originalError);
            }
        }
    }

    static async Task<BuildReport> RunCoreAsync(BuildBase build, IReadOnlyList<string> args, BuildHost host, string? defaultTarget, BuildConsole console)
    {
        var invocation = CommandLine.Parse(args);
        console.Verbosity = invocation.Verbosity;
        var descriptors = ParameterDescriptor.FromType(build.GetType());
        foreach (var d in descriptors.Where(d => CommandLine.IsBuiltIn(d.Name)))
            throw new BuildDefinitionException($"Parameter '--{d.Name}' clashes with the built-in option of that name; rename it.");

        var binding = new ParameterBinder(descriptors, host.Environment, host.RootDirectory).Bind(build, invocation.Parameters, invocation.Profiles);
        console.Redactor.Add(SecretValues(binding.Parameters));
        var graph = TargetGraph.FromBuild(build);

        if (!invocation.Help && invocation.Targets.Count == 0 && defaultTarget == null && (invocation.Plan || invocation.Skip is { Count: > 0 }))
        {
            var example = graph.Nodes.FirstOrDefault(n => !n.Definition.IsUnlisted)?.Name ?? "<target>";
            var option = invocation.Plan ? "--plan" : "--skip";
            throw new UsageException(
                $"{option} needs a target to run and this build declares no default one: name it, like ./build.sh {example} {option}{(invocation.Plan ? "" : " <target>…")}; ./build.sh --help lists the targets.");
        }
        if (invocation.Help || (invocation.Targets.Count == 0 && defaultTarget == null))
        {
            console.WriteRaw(HelpWriter.Render(graph, binding.Parameters, defaultTarget));
            foreach (var error in binding.Errors) console.UsageError(error);
            return new BuildReport(binding.Errors.Count > 0 ? ExitCodes.UsageError : ExitCodes.Success, []);
        }
        if (binding.Errors.Count > 0) throw new UsageException(binding.Errors[0]);

        build.RunValidation();
        console.LogsToStandardError = build.RunStandardOutputIsData();

        var targets = invocation.Targets.Count > 0 ? invocation.Targets : [defaultTarget!];
        var parallel = invocation.Parallel ?? Environment.ProcessorCount;
        var parameterValues = binding.Parameters.Select(p => new KeyValuePair<string, string>(p.Descriptor.Name, ValueConverter.Format(p.Value))).ToList();
        var targetKeys = targets.Select(t => graph.Find(t)?.Name ?? t).Select(Names.Normalize).Order(StringComparer.Ordinal).ToArray();

        var succeededBefore = invocation.Continue
            ? ContinueFrom(ContinueState.Load(build.TemporaryDirectory), targetKeys, parameterValues, console)
            : new HashSet<string>();
        var plan = ExecutionPlanner.Plan(graph, targets, invocation.Skip, succeededBefore);
        CheckRequirements(plan, descriptors, build);

        if (invocation.Plan)
        {
            console.WriteRaw(PlanWriter.RenderText(plan, parallel));
            Directory.CreateDirectory(build.TemporaryDirectory);
            var html = Path.Combine(build.TemporaryDirectory, "plan.html");
            await File.WriteAllTextAsync(html, PlanWriter.RenderHtml(plan));
            console.WriteRaw($"Graph written to {Path.GetRelativePath(host.RootDirectory, html)}\n");
            return new BuildReport(ExitCodes.Success, []);
        }

        console.SetPrefixWidth(plan.Entries.Max(e => e.Node.Name.Length));
        if (Header(plan, parallel, invocation.Verbosity) is { } header) console.Write(null, LogLevel.Header, header);
        var clock = Stopwatch.StartNew();
        IReadOnlyList<TargetResult> results;
        try
        {
            results = await new BuildExecutor(console, parallel, invocation.Verbosity, build.RunExplain).RunAsync(plan, host.Cancellation,
                host.HardCancellation);
        }
        finally
        {
            await build.RunBuildFinishedAsync();
        }
        console.StopProgress();

        var exitCode = results.Any(r => r.IsUsageError) ? ExitCodes.UsageError
            : results.Any(r => r.Status == ExecutionStatus.Cancelled) ? ExitCodes.Cancelled
            : results.Any(r => r.Status is ExecutionStatus.Failed or ExecutionStatus.NotRun or ExecutionStatus.Cancelled) ? ExitCodes.TargetFailed
            : ExitCodes.Success;
        console.WriteSummary(SummaryWriter.Render(results, clock.Elapsed, exitCode));

        var salt = ContinueState.NewSalt();
        new ContinueState(
            targetKeys, salt, ContinueState.Hash(salt, parameterValues),
            results.Where(r => r.Status == ExecutionStatus.Succeeded || succeededBefore.Contains(r.Name)).Select(r => r.Name).ToArray(),
            exitCode != ExitCodes.Success).Save(build.TemporaryDirectory);
        return new BuildReport(exitCode, results);
    }

    /// <summary>
    /// The "Running …" line, only when it tells something the command line did not: several targets will run
    /// (and, when some could overlap, how many at once). Always with <c>--verbosity verbose</c>.
    /// </summary>
    static string? Header(ExecutionPlan plan, int parallel, Verbosity verbosity)
    {
        var toRun = plan.Entries.Where(e => e.SkipReason == null).ToList();
        var widest = toRun.GroupBy(e => e.Wave).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        if (toRun.Count < 2 && verbosity != Verbosity.Verbose) return null;
        var names = string.Join(" + ", plan.Invoked.Select(n => n.Name));
        var count = toRun.Count == 1 ? "1 target" : $"{toRun.Count} targets";
        var skipped = plan.Entries.Count - toRun.Count is var s and > 0 ? $", {s} skipped" : "";
        var concurrency = widest < 2 ? "" : parallel == 1 ? ", one at a time" : $", at most {Math.Min(parallel, widest)} at a time";
        return $"Running {names} ({count}{skipped}{concurrency})";
    }

    static HashSet<string> ContinueFrom(ContinueState? state, string[] targets, List<KeyValuePair<string, string>> parameters, BuildConsole console)
    {
        string? why = state switch
        {
            null => "no previous run is recorded",
            { Failed: false } => "the previous run succeeded",
            _ when !state.Targets.SequenceEqual(targets) => $"the previous run invoked {string.Join(" + ", state.Targets)}",
            _ when ContinueState.Hash(state.Salt, parameters) != state.ParametersHash => "parameters changed since the previous run",
            _ => null,
        };
        if (why != null)
        {
            console.Write(null, LogLevel.Warning, $"--continue: {why}; running every target.");
            return [];
        }
        console.Write(null, LogLevel.Info, $"--continue: skipping {state!.Succeeded.Length} target(s) that succeeded in the previous run.");
        return state.Succeeded.ToHashSet();
    }

    static void CheckRequirements(ExecutionPlan plan, IReadOnlyList<ParameterDescriptor> descriptors, BuildBase build)
    {
        foreach (var entry in plan.Entries.Where(e => e.SkipReason == null))
            foreach (var requirement in entry.Node.Definition.Requirements)
            {
                if (requirement.Member != null)
                {
                    var descriptor = descriptors.FirstOrDefault(d => d.Member.Name == requirement.Member.Name
                        && d.Member.DeclaringType == requirement.Member.DeclaringType);
                    if (descriptor == null)
                        throw new BuildDefinitionException($"Target '{entry.Node.Name}' requires '{requirement.Text}', which is not a [Parameter].");
                    if (HelpWriter.IsUnset(descriptor.GetValue(build)))
                        throw new UsageException(descriptor.EnvironmentName is { } variable
                            ? $"Target '{entry.Node.Name}' requires --{descriptor.Name}: pass --{descriptor.Name} <value>, set {variable}, or add it to .nuke/parameters.json."
                            : $"Target '{entry.Node.Name}' requires --{descriptor.Name}: pass --{descriptor.Name} <value> on the command line (it is never read from the environment or a parameters file).");
                }
                else if (requirement.Value() is false)
                {
                    throw new UsageException($"Target '{entry.Node.Name}' requires {requirement.Text}.");
                }
            }
    }

    static IEnumerable<string> SecretValues(IEnumerable<BoundParameter> parameters) =>
        parameters.Where(p => p.Descriptor.IsSecret && p.Value != null)
            .SelectMany(p => p.Value is Array a ? a.Cast<object?>() : [p.Value])
            .Select(ValueConverter.Format)
            .Where(s => s is not ("(not set)" or "(empty)"));

    /// <summary>The real process: finds the root, wires Ctrl+C and SIGTERM to cancellation, and routes the console through the build.</summary>
    internal static async Task<int> RunProcessAsync(BuildBase build, string[] args, string? defaultTarget)
    {
        var root = FindRoot();
        if (root == null)
        {
            await Console.Error.WriteLineAsync("error: no .nuke directory found above the build or the working directory; run from the repository that holds .nuke/.");
            return ExitCodes.UsageError;
        }

        var stderr = Console.Error; // the real one: Console.Error is redirected through the build while it runs
        using var soft = new CancellationTokenSource();
        using var hard = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (hard.IsCancellationRequested) return; // third press: let the process die
            e.Cancel = true;
            if (!soft.IsCancellationRequested)
            {
                stderr.WriteLine("Stopping: running targets are told to stop, cleanup targets still run. Ctrl+C again to cancel those too.");
                soft.Cancel();
            }
            else hard.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            soft.Cancel();
        });

        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        var styled = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
                     && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                     && Environment.GetEnvironmentVariable("TERM") != "dumb";
        var host = new BuildHost
        {
            RootDirectory = root,
            Out = Console.Out,
            Error = stderr,
            Environment = env,
            IsTerminal = styled && !Console.IsOutputRedirected,
            ErrorIsTerminal = styled && !Console.IsErrorRedirected,
            Cancellation = soft.Token,
            HardCancellation = hard.Token,
            RedirectConsole = true,
        };
        var report = await RunAsync(build, args, host, defaultTarget);
        return report.ExitCode;
    }

    /// <summary><c>OPS_ROOT</c> if set (tools and tests), else the nearest directory holding <c>.nuke/</c> above the build, else above the working
    /// directory.</summary>
    static string? FindRoot()
    {
        if (Environment.GetEnvironmentVariable("OPS_ROOT") is { Length: > 0 } explicitRoot)
            return Directory.Exists(Path.Combine(explicitRoot, ".nuke")) ? Path.GetFullPath(explicitRoot) : null;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
                    return dir.FullName;
        return null;
    }
}
