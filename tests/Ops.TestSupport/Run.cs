using Ops.Targets;

namespace Ops.TestSupport;

/// <summary>Runs a build in-process through the public API, with its own root, environment and writers.</summary>
public static class Run
{
    public static async Task<RunResult> Build(
        BuildBase build,
        string args,
        TestRoot? root = null,
        IReadOnlyDictionary<string, string>? env = null,
        bool terminal = false,
        bool? errorTerminal = null,
        string? defaultTarget = null,
        CancellationToken cancel = default,
        CancellationToken hardCancel = default)
    {
        using var own = root == null ? new TestRoot() : null;
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new BuildHost
        {
            RootDirectory = (root ?? own!).Path,
            Out = TextWriter.Synchronized(output),
            Error = TextWriter.Synchronized(error),
            // A local cloud's registry on a free port: tests run in parallel, and a developer may be serving 5100.
            Environment = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["OPS_REGISTRY_PORT"] = "0" },
            IsTerminal = terminal,
            ErrorIsTerminal = errorTerminal ?? terminal,
            Cancellation = cancel,
            HardCancellation = hardCancel,
        };
        var argv = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var report = await BuildRunner.RunAsync(build, argv, host, defaultTarget);
        return new RunResult(report, output.ToString(), error.ToString());
    }
}
