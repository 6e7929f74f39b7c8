namespace Ops.Targets.Tests;

/// <summary>The real process entry point: signals, console redirection, exit codes.</summary>
public class ProcessTests
{
    static readonly string SampleDll = Path.Combine(AppContext.BaseDirectory, "Ops.Targets.SampleBuild.dll");

    /// <summary>Starts the sample build with SIGINT at its default: a suite started in the background of a script (<c>cmd &amp;</c>)
    /// ignores SIGINT, children inherit that, and .NET then never raises Ctrl+C, as a shell's background job should not.</summary>
    static ChildProcess Start(TestRoot root, params string[] args) =>
        new("env", ["--default-signal=INT", "dotnet", SampleDll, .. args], root.Path, new Dictionary<string, string> { ["OPS_ROOT"] = root.Path });

    [Fact]
    public async Task Ctrl_C_cancels_the_running_target_runs_assured_cleanup_and_exits_130()
    {
        using var root = new TestRoot();
        using var process = Start(root, "long", "cleanup", "--parallel", "1");
        await process.WaitForOutput("long started", TimeSpan.FromSeconds(30));
        process.Signal("INT");
        var code = await process.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.Equal(130, code);
        Assert.Contains("[cleanup]  cleanup ran", process.Out);
        Assert.Matches(@"long\s+Cancelled", process.Out);
        Assert.Contains("Build cancelled", process.Out);
        Assert.Contains("Stopping: running targets are told to stop", process.Err);
    }

    [Fact]
    public async Task SIGTERM_cancels_like_Ctrl_C()
    {
        using var root = new TestRoot();
        using var process = Start(root, "long", "cleanup", "--parallel", "1");
        await process.WaitForOutput("long started", TimeSpan.FromSeconds(30));
        process.Signal("TERM");
        Assert.Equal(130, await process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("cleanup ran", process.Out);
    }

    [Fact]
    public async Task Console_output_from_a_target_is_prefixed_and_redacted()
    {
        using var root = new TestRoot();
        using var process = Start(root, "chatty", "--token", "tok-Very-Secret-9");
        Assert.Equal(0, await process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("tok-Very-Secret-9", process.Out + process.Err);
        Assert.Contains("[chatty]  token is ****", process.Out);
        Assert.Contains("[chatty]  partial line", process.Out);
        Assert.Contains("[chatty]  error: to stderr", process.Out);
        Assert.DoesNotContain("\e[", process.Out);   // CI=true: plain lines
    }

    [Theory]
    [InlineData("fail", 1)]
    [InlineData("chatty --tokne x", 2)]
    [InlineData("nosuch", 2)]
    [InlineData("--help", 0)]
    [InlineData("--plan long", 0)]
    [InlineData("--plan", 2)]
    [InlineData("fail --verbosity verbose", 1)]
    public async Task Exit_codes_reach_the_shell(string args, int expected)
    {
        using var root = new TestRoot();
        using var process = Start(root, args.Split(' '));
        Assert.Equal(expected, await process.WaitForExit(TimeSpan.FromSeconds(30)));
    }
}
