namespace Ops.Stack.Tests;

/// <summary>
/// <c>./build.sh</c> of this checkout as a user runs it, a child process against an endpoint (<c>--endpoint-url</c>), with
/// test keys and no AWS profile; it can be killed (<c>kill -9</c>) mid-run because build.sh execs the build itself.
/// </summary>
public static class OpsCli
{
    /// <summary>
    /// The environment the tool gets besides the machine's: the operator keys every test cloud it talks to is given
    /// (<see cref="TestKeys"/>), a region, no profile or instance metadata.
    /// </summary>
    static readonly Dictionary<string, string> Environment = new()
    {
        ["AWS_ACCESS_KEY_ID"] = TestKeys.OperatorAccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = TestKeys.OperatorSecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["NO_COLOR"] = "1",
    };

    /// <summary>
    /// The first run may build the build project (build.sh does when its inputs changed): done once, alone, so that the
    /// runs a test times or kills are the tool itself.
    /// </summary>
    static readonly Lazy<Task> Built = new(BuildAsync);

    /// <summary>Starts <c>./build.sh &lt;args&gt;</c> in the repository root.</summary>
    public static async Task<ChildProcess> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        await Built.Value;
        var env = new Dictionary<string, string>(Environment);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return new ChildProcess(Path.Combine(FleetCloud.RepositoryRoot, "build.sh"), args, FleetCloud.RepositoryRoot, env);
    }

    /// <summary>Runs <c>./build.sh &lt;args&gt;</c> to its end (<paramref name="timeout"/>, default 4 minutes).</summary>
    public static async Task<CliRun> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = args.ToList();
        using var process = await StartAsync(list, environment);
        if (stdin != null) process.WriteInputAndClose(stdin);
        var code = await process.WaitForExit(timeout ?? TimeSpan.FromMinutes(4));
        return new CliRun(string.Join(' ', list), code, process.Out, process.Err);
    }

    static async Task BuildAsync()
    {
        var (code, output, error) = await ChildProcess.Run(Path.Combine(FleetCloud.RepositoryRoot, "build.sh"), ["--help"], FleetCloud.RepositoryRoot, Environment,
            TimeSpan.FromMinutes(10));
        if (code != 0) throw new InvalidOperationException($"./build.sh --help exited {code}:\n{output}\n{error}");
    }
}
