namespace Ops.Targets.Tests;

public class HelpAndOutputTests
{
    [Fact]
    public async Task With_no_target_help_lists_targets_with_descriptions_and_dependencies_and_hides_unlisted()
    {
        var run = await Run.Build(new GraphBuild(), "");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"compile\s+Compile it \(depends on: restore\)", run.Out);
        Assert.Matches(@"create-rds-instance\s+Create the database", run.Out);
        Assert.Matches(@"pack\s+\(depends on: compile, docs\)", run.Out);
        Assert.DoesNotContain("secretive", run.Out);
        Assert.DoesNotContain("Hidden one", run.Out);
        Assert.Contains("--parallel <n>", run.Out);
    }

    [Fact]
    public async Task Unlisted_targets_can_still_be_invoked()
    {
        var build = new GraphBuild();
        var run = await Run.Build(build, "secretive");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["secretive"], build.Ran);
    }

    [Fact]
    public async Task A_declared_default_is_marked_in_help_and_runs_when_no_target_is_named()
    {
        var help = await Run.Build(new GraphBuild(), "--help", defaultTarget: "Compile");
        Assert.Matches(@"compile \(default\)\s+Compile it", help.Out);

        var build = new GraphBuild();
        var run = await Run.Build(build, "--parallel 1", defaultTarget: "Compile");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["restore", "compile", "audit"], build.Ran);
    }

    sealed class ParamHelpBuild : BuildBase
    {
        [Parameter("Deployment stage")] public Stage Stage = Stage.Dev;
        [Parameter("How long to wait")] public TimeSpan Wait = TimeSpan.FromSeconds(90);
        [Parameter] public string[] Names = ["a", "b"];
        public Target Noop => _ => _.Executes(() => { });
    }

    public enum Stage { Dev, Stage, Prod }

    [Fact]
    public async Task Help_lists_parameters_with_types_and_current_values_and_their_origin()
    {
        var run = await Run.Build(new ParamHelpBuild(), "--help --stage prod", env: new Dictionary<string, string> { ["OPS_WAIT"] = "5m" });
        Assert.Matches(@"--stage <dev\|stage\|prod>\s+Deployment stage\s+= prod \(the command line\)", run.Out);
        Assert.Matches(@"--wait <duration>\s+How long to wait\s+= 5m \(environment variable OPS_WAIT\)", run.Out);
        Assert.Matches(@"--names <string…>\s+= a, b \(default\)", run.Out);
    }

    [Fact]
    public async Task Help_shows_an_invalid_value_in_place_and_exits_2()
    {
        var run = await Run.Build(new ParamHelpBuild(), "--help --stage qa");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("= invalid: 'qa' is not one of dev, stage, prod (from the command line)", run.Out);
    }

    sealed class LoggingBuild : BuildBase
    {
        public Target Alpha => _ => _.Executes(() => Log.Info("hello from alpha"));
        public Target LongerName => _ => _.Executes(() => Log.Error("bad thing"));
    }

    [Fact]
    public async Task Off_a_terminal_output_is_plain_lines_prefixed_by_target()
    {
        var run = await Run.Build(new LoggingBuild(), "alpha longer-name --parallel 1");
        Assert.DoesNotContain("\e[", run.Out);
        Assert.Contains("[alpha]        hello from alpha", run.Out);
        Assert.Contains("[longer-name]  error: bad thing", run.Out);
    }

    [Fact]
    public async Task On_a_terminal_output_is_coloured()
    {
        var run = await Run.Build(new LoggingBuild(), "alpha longer-name --parallel 1", terminal: true);
        Assert.Contains("\e[36m[alpha]", run.Out);
        Assert.Contains("\e[31mbad thing\e[0m", run.Out);
    }
}

public class ProgressTests
{
    sealed class SlowBuild(StringWriter output) : BuildBase
    {
        public bool SawProgress;
        public Target Slow => _ => _.Executes(async ct =>
        {
            // Wait (bounded) until the live line naming this target has been drawn.
            for (var i = 0; i < 40 && !SawProgress; i++)
            {
                SawProgress = output.ToString().Contains("▶ slow ");
                await Task.Delay(50, ct);
            }
        });
    }

    static async Task<(SlowBuild Build, string Out)> RunSlow(bool terminal)
    {
        var output = new StringWriter();
        var build = new SlowBuild(output);
        using var root = new TestRoot();
        var host = new BuildHost { RootDirectory = root.Path, Out = TextWriter.Synchronized(output), IsTerminal = terminal };
        await BuildRunner.RunAsync(build, ["slow"], host);
        return (build, output.ToString());
    }

    [Fact]
    public async Task On_a_terminal_a_live_line_shows_the_running_targets_and_is_cleared()
    {
        var (build, output) = await RunSlow(terminal: true);
        Assert.True(build.SawProgress);
        Assert.Contains("\r\e[2K", output);    // the line is erased before other output
    }

    [Fact]
    public async Task Off_a_terminal_there_is_no_live_line()
    {
        var (build, output) = await RunSlow(terminal: false);
        Assert.False(build.SawProgress);
        Assert.DoesNotContain("▶", output);
    }
}
