namespace Ops.Targets.Tests;

public class ContinueTests
{
    sealed class FlakyBuild : RecordingBuild
    {
        [Parameter] public bool Broken;
        [Parameter] public string Label = "x";
        public Target One => _ => _.Executes(Record("one"));
        public Target Two => _ => _.DependsOn(One).Executes(() =>
        {
            if (Broken) throw new Exception("two is broken");
            Record("two")();
        });
        public Target Three => _ => _.DependsOn(Two).Executes(Record("three"));
    }

    [Fact]
    public async Task Continue_skips_targets_that_succeeded_in_the_failed_run()
    {
        using var root = new TestRoot().WithFile("parameters.json", """{ "Broken": true }""");
        var first = new FlakyBuild();
        var run = await Run.Build(first, "three", root);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["one"], first.Ran);

        // The fix arrives through the environment... which changes parameters, so keep them equal: fix the file.
        File.WriteAllText(root.Nuke("parameters.json"), """{ "Broken": true }""");
        var again = new FlakyBuild();
        run = await Run.Build(again, "three --continue", root);
        Assert.Equal(ExecutionStatus.Skipped, run.Status("one"));
        Assert.Equal("succeeded in the previous run (--continue)", run.Report["one"]!.Reason);
        Assert.Equal(ExecutionStatus.Failed, run.Status("two"));
        Assert.Empty(again.Ran);

        // Still failed: a later --continue still remembers that one succeeded.
        var third = new FlakyBuild();
        run = await Run.Build(third, "three --continue", root);
        Assert.Equal(ExecutionStatus.Skipped, run.Status("one"));
    }

    [Fact]
    public async Task Continue_runs_everything_when_parameters_changed()
    {
        using var root = new TestRoot();
        var first = new FlakyBuild();
        await Run.Build(first, "three --broken", root);
        Assert.Equal(["one"], first.Ran);

        var fixedRun = new FlakyBuild();
        var run = await Run.Build(fixedRun, "three --continue", root);
        Assert.Contains("--continue: parameters changed since the previous run; running every target.", run.Out);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["one", "two", "three"], fixedRun.Ran);
    }

    [Fact]
    public async Task Continue_after_a_successful_run_or_other_targets_runs_everything()
    {
        using var root = new TestRoot();
        await Run.Build(new FlakyBuild(), "three", root);
        var b = new FlakyBuild();
        var run = await Run.Build(b, "three --continue", root);
        Assert.Contains("--continue: the previous run succeeded; running every target.", run.Out);
        Assert.Equal(["one", "two", "three"], b.Ran);

        await Run.Build(new FlakyBuild(), "three --broken", root);
        b = new FlakyBuild();
        run = await Run.Build(b, "one --continue --broken", root);
        Assert.Contains("--continue: the previous run invoked three; running every target.", run.Out);
        Assert.Equal(["one"], b.Ran);
    }
}
