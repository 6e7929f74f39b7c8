namespace Ops.Targets.Tests;

/// <summary>What a person types and reads: options anywhere, the run header, failures as one line, the summary's reasons.</summary>
public class CliTests
{
    [Theory]
    [InlineData("--plan compile")]
    [InlineData("compile --plan")]
    [InlineData("--skip --plan compile")]
    public async Task Plan_works_anywhere_on_the_command_line(string args)
    {
        var build = new GraphBuild();
        var run = await Run.Build(build, args);
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Contains("Plan for compile", run.Out);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public async Task Help_and_continue_work_before_a_target()
    {
        var help = await Run.Build(new GraphBuild(), "--help compile");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage: ./build.sh", help.Out);

        var build = new GraphBuild();
        var run = await Run.Build(build, "--continue restore");
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Equal(["restore"], build.Ran);
    }

    [Fact]
    public async Task Plan_without_a_target_plans_the_default_or_says_what_to_name()
    {
        var withDefault = await Run.Build(new GraphBuild(), "--plan", defaultTarget: "Compile");
        Assert.Equal(0, withDefault.ExitCode);
        Assert.Contains("Plan for compile", withDefault.Out);

        var without = await Run.Build(new GraphBuild(), "--plan");
        Assert.Equal(2, without.ExitCode);
        Assert.Equal("error: --plan needs a target to run and this build declares no default one: name it, like ./build.sh clean --plan; ./build.sh --help lists the targets.", without.Err.Trim());
        Assert.DoesNotContain("Usage:", without.Out);
    }

    [Fact]
    public async Task The_running_line_appears_only_when_several_targets_run()
    {
        var one = await Run.Build(new GraphBuild(), "restore --parallel 2");
        Assert.DoesNotContain("Running", one.Out);

        var several = await Run.Build(new GraphBuild(), "compile --parallel 2");
        Assert.Contains("Running compile (3 targets)", several.Out);      // restore, compile, audit: never two at once
        var wide = await Run.Build(new GraphBuild(), "clean create-rds-instance --parallel 2");
        Assert.Contains("Running clean + create-rds-instance (2 targets, at most 2 at a time)", wide.Out);

        var verbose = await Run.Build(new GraphBuild(), "restore --verbosity verbose");
        Assert.Contains("Running restore (1 target)", verbose.Out);
    }

    sealed class FailingBuild : BuildBase
    {
        public static readonly string Long =
            "The deploy of iotile-worker-dev could not finish because the load balancer never reported the new tasks healthy within the allowed time; " +
            "raise --health-timeout or look at the task logs in CloudWatch group /ecs/iotile-worker-dev for the reason.";

        public Target Boom => _ => _.Executes(() => throw new InvalidOperationException("boom: disk full"));
        public Target Silent => _ => _.Executes(() => throw new Exception(""));
        public Target Explained => _ => _.Executes(() => throw new BuildFailedException(Long));
    }

    [Fact]
    public async Task A_failure_is_one_line_without_stack_trace_unless_verbose()
    {
        var run = await Run.Build(new FailingBuild(), "boom");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[boom]  error: InvalidOperationException: boom: disk full (--verbosity verbose shows the stack trace)", run.Out);
        Assert.DoesNotContain("   at ", run.Out);
        Assert.Single(run.Out.Split('\n'), l => l.Contains("error:"));

        var verbose = await Run.Build(new FailingBuild(), "boom --verbosity verbose");
        Assert.Contains("[boom]  error: System.InvalidOperationException: boom: disk full", verbose.Out);
        Assert.Contains("   at ", verbose.Out);
        Assert.Single(verbose.Out.Split('\n'), l => l.Contains("boom: disk full") && l.Contains("error:"));
    }

    [Fact]
    public async Task An_exception_without_a_message_leaves_no_empty_fragment()
    {
        var run = await Run.Build(new FailingBuild(), "silent");
        Assert.Contains("[silent]  error: Exception (--verbosity verbose", run.Out);
        Assert.Matches(@"silent\s+Failed\s+\S+\s+Exception\n", run.Out);
        Assert.DoesNotContain("Exception: ", run.Out);
    }

    [Fact]
    public async Task The_summary_wraps_a_long_reason_and_never_cuts_the_fix_off()
    {
        var run = await Run.Build(new FailingBuild(), "explained");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[explained]  error: " + FailingBuild.Long, run.Out);
        var summary = run.Out[run.Out.IndexOf("Target ", StringComparison.Ordinal)..];
        Assert.DoesNotContain("...", summary);
        Assert.All(summary.Split('\n'), l => Assert.True(l.Length <= SummaryWidth, $"line longer than {SummaryWidth}: {l}"));
        var reason = string.Join(' ', summary.Split('\n').SkipWhile(l => !l.StartsWith("explained")).TakeWhile(l => !l.StartsWith('─'))
            .Select(l => l.StartsWith("explained") ? l[(l.IndexOf("s  ", StringComparison.Ordinal) + 3)..] : l.Trim()));
        Assert.Equal(FailingBuild.Long, reason);
    }

    const int SummaryWidth = 100;

    [Fact]
    public async Task Quiet_keeps_warnings_errors_and_the_summary()
    {
        var run = await Run.Build(new FailingBuild(), "boom --verbosity quiet");
        Assert.Contains("error: InvalidOperationException: boom: disk full", run.Out);
        Assert.Contains("Build failed", run.Out);
        var ok = await Run.Build(new DataBuild(), "prepare --verbosity quiet");
        Assert.DoesNotContain("preparing", ok.Out);
        Assert.Contains("preparing", (await Run.Build(new DataBuild(), "prepare")).Out);
        Assert.Contains("Build succeeded", ok.Out);
    }

    sealed class ServerBuild : BuildBase
    {
        public Target Serve => _ => _.Executes(async ct =>
        {
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { Log.Info("stopped"); }
        });
    }

    [Fact]
    public async Task A_target_that_ends_normally_on_cancellation_is_a_clean_stop_with_exit_0()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var run = await Run.Build(new ServerBuild(), "serve", cancel: cancel.Token);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ExecutionStatus.Succeeded, run.Status("serve"));
        Assert.Contains("[serve]  stopped", run.Out);
        Assert.Contains("Build succeeded", run.Out);
    }
}
