namespace Ops.Targets.Tests;

public class ExecutionTests
{
    /// <summary>Two independent slow targets that note how many run at once; each waits for the other for a while.</summary>
    sealed class ParallelBuild : RecordingBuild
    {
        int _running;
        public int MaxConcurrent;
        public bool Met;
        readonly CountdownEvent _both = new(2);

        async Task Body(string name, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref MaxConcurrent, now);
            _both.Signal();
            // Overlap is proven by both being inside at once; give up after a bound so --parallel 1 finishes.
            Met |= await Task.Run(() => _both.Wait(TimeSpan.FromSeconds(5), ct), ct);
            Interlocked.Decrement(ref _running);
            Record(name)();
        }

        public Target A => _ => _.Executes(ct => Body("a", ct));
        public Target B => _ => _.Executes(ct => Body("b", ct));
        public Target Both => _ => _.DependsOn(A, B).Executes(Record("both"));

        static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = target) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    [Fact]
    public async Task Independent_targets_overlap_when_parallel()
    {
        var build = new ParallelBuild();
        var run = await Run.Build(build, "both --parallel 2");
        Assert.Equal(0, run.ExitCode);
        Assert.True(build.Met, "a and b should have been running at the same time");
        Assert.Equal(2, build.MaxConcurrent);
        Assert.Equal("both", build.Ran[^1]);
    }

    [Fact]
    public async Task Parallel_one_runs_one_target_at_a_time()
    {
        var build = new ParallelBuild();
        var run = await Run.Build(build, "both --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, build.MaxConcurrent);
    }

    sealed class FailureBuild : RecordingBuild
    {
        public Target Fails => _ => _.Executes(() => throw new InvalidOperationException("boom: disk full"));
        public Target AfterFail => _ => _.DependsOn(Fails).Executes(Record("after-fail"));
        public Target Independent => _ => _.After(Fails).Executes(Record("independent"));
        public Target Cleanup => _ => _.AssuredAfterFailure().After(Fails, Independent).Executes(Record("cleanup"));
        public Target Tolerated => _ => _.ProceedAfterFailure().Executes(() => throw new Exception("tolerated failure"));
        public Target Later => _ => _.After(Tolerated).Executes(Record("later"));
        public Target Everything => _ => _.DependsOn(AfterFail, Independent, Cleanup);
    }

    [Fact]
    public async Task A_failure_stops_new_targets_marks_dependents_not_run_and_still_runs_assured_targets()
    {
        var build = new FailureBuild();
        var run = await Run.Build(build, "after-fail independent cleanup --parallel 1");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(ExecutionStatus.Failed, run.Status("fails"));
        Assert.Equal("InvalidOperationException: boom: disk full", run.Report["fails"]!.Reason);
        Assert.Equal(ExecutionStatus.NotRun, run.Status("after-fail"));
        Assert.Equal("dependency fails failed", run.Report["after-fail"]!.Reason);
        Assert.Equal(ExecutionStatus.NotRun, run.Status("independent"));
        Assert.Equal(ExecutionStatus.Succeeded, run.Status("cleanup"));
        Assert.Equal(["cleanup"], build.Ran);
        Assert.Matches(@"fails\s+Failed\s+\d+\.\d\ds\s+InvalidOperationException: boom: disk full", run.Out);
        Assert.Contains("Build failed: 1 succeeded, 1 failed, 2 not run (exit code 1).", run.Out);
    }

    [Fact]
    public async Task ProceedAfterFailure_lets_independent_targets_start_but_still_fails_the_build()
    {
        var build = new FailureBuild();
        var run = await Run.Build(build, "tolerated later --parallel 1");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(ExecutionStatus.Failed, run.Status("tolerated"));
        Assert.Equal(ExecutionStatus.Succeeded, run.Status("later"));
    }

    sealed class TriggerBuild : RecordingBuild
    {
        [Parameter] public bool FailDeploy;
        public Target Deploy => _ => _.Triggers(Announce).Executes(() =>
        {
            if (FailDeploy) throw new Exception("deploy failed");
            Record("deploy")();
        });
        public Target Announce => _ => _.Executes(Record("announce"));
        public Target Verify => _ => _.TriggeredBy(Deploy).Executes(Record("verify"));
    }

    [Fact]
    public async Task Triggered_targets_run_after_their_trigger_succeeds_and_not_after_it_fails()
    {
        var ok = new TriggerBuild();
        var run = await Run.Build(ok, "deploy --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["deploy", "announce", "verify"], ok.Ran);

        var failing = new TriggerBuild();
        run = await Run.Build(failing, "deploy --fail-deploy --parallel 1");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(ExecutionStatus.NotRun, run.Status("announce"));
        Assert.Equal("trigger deploy failed", run.Report["verify"]!.Reason);
        Assert.Empty(failing.Ran);
    }

    [Fact]
    public async Task A_trigger_that_is_skipped_does_not_fire()
    {
        var build = new TriggerBuild();
        var run = await Run.Build(build, "deploy --skip deploy");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ExecutionStatus.Skipped, run.Status("announce"));
        Assert.Equal("no triggering target ran", run.Report["announce"]!.Reason);
    }

    sealed class ConditionBuild : RecordingBuild
    {
        [Parameter] public bool WithDocs;
        public bool DynamicFlag;
        public Target Tools => _ => _.Executes(Record("tools"));
        public Target Shared => _ => _.Executes(Record("shared"));
        public Target Docs => _ => _.OnlyWhenStatic(() => WithDocs).DependsOn(Tools, Shared).Executes(Record("docs"));
        public Target Prepare => _ => _.DependsOn(Shared).Executes(() => { DynamicFlag = false; Record("prepare")(); });
        public Target Late => _ => _.DependsOn(Prepare).OnlyWhenDynamic(() => DynamicFlag).Executes(Record("late"));
        public Target All => _ => _.DependsOn(Docs, Late).Executes(Record("all"));
    }

    [Fact]
    public async Task A_false_static_condition_skips_the_target_and_dependencies_only_it_needs()
    {
        var build = new ConditionBuild { DynamicFlag = true };
        var run = await Run.Build(build, "all --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ExecutionStatus.Skipped, run.Status("docs"));
        Assert.Equal("condition false: WithDocs", run.Report["docs"]!.Reason);
        Assert.Equal(ExecutionStatus.Skipped, run.Status("tools"));
        Assert.Equal("needed only by skipped docs", run.Report["tools"]!.Reason);
        Assert.Equal(ExecutionStatus.Succeeded, run.Status("shared"));   // also needed by prepare
        Assert.Contains("all", build.Ran);
    }

    [Fact]
    public async Task A_dynamic_condition_is_read_when_the_target_is_due()
    {
        var build = new ConditionBuild { DynamicFlag = true };
        var run = await Run.Build(build, "late --parallel 1");
        // prepare cleared the flag after planning: late is skipped, prepare ran.
        Assert.Equal(ExecutionStatus.Succeeded, run.Status("prepare"));
        Assert.Equal(ExecutionStatus.Skipped, run.Status("late"));
        Assert.Equal("condition false: DynamicFlag", run.Report["late"]!.Reason);

        var withDocs = new ConditionBuild();
        run = await Run.Build(withDocs, "docs --with-docs --parallel 1");
        Assert.Equal(["tools", "shared", "docs"], withDocs.Ran);
    }

    sealed class CancelBuild : RecordingBuild
    {
        public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Target Long => _ => _.Executes(async ct =>
        {
            Started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        public Target Next => _ => _.DependsOn(Long).Executes(Record("next"));
        public Target Teardown => _ => _.AssuredAfterFailure().After(Long).Executes(Record("teardown"));
    }

    [Fact]
    public async Task Cancellation_stops_running_targets_still_runs_assured_ones_and_exits_130()
    {
        using var cts = new CancellationTokenSource();
        var build = new CancelBuild();
        var running = Run.Build(build, "next teardown --parallel 1", cancel: cts.Token);
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(130, run.ExitCode);
        Assert.Equal(ExecutionStatus.Cancelled, run.Status("long"));
        Assert.Equal(ExecutionStatus.Cancelled, run.Status("next"));
        Assert.Equal(ExecutionStatus.Succeeded, run.Status("teardown"));
        Assert.Equal(["teardown"], build.Ran);
        Assert.Contains("Build cancelled", run.Out);
    }

    sealed class RequiresBuild : RecordingBuild
    {
        [Parameter("Database host")] public string? DbHost;
        [Parameter] public string[] Regions = [];
        [Parameter] public int Count = 1;
        public Target First => _ => _.Executes(Record("first"));
        public Target Connect => _ => _.DependsOn(First).Requires(() => DbHost).Executes(Record("connect"));
        public Target Spread => _ => _.Requires(() => Regions).Requires(() => Count > 1).Executes(Record("spread"));
    }

    [Fact]
    public async Task A_missing_required_parameter_stops_the_build_before_any_target_runs()
    {
        var build = new RequiresBuild();
        var run = await Run.Build(build, "connect");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Target 'connect' requires --db-host: pass --db-host <value>, set OPS_DB_HOST, or add it to .nuke/parameters.json.", run.Err);
        Assert.Empty(build.Ran);

        run = await Run.Build(new RequiresBuild(), "spread --regions a b");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Target 'spread' requires Count > 1.", run.Err);

        var ok = new RequiresBuild();
        run = await Run.Build(ok, "connect spread --db-host db --regions a --count 2 --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["first", "connect", "spread"], ok.Ran);
    }

    sealed class ValidatesBuild : RecordingBuild
    {
        [Parameter] public int Size = 1;
        public List<string> Checked { get; } = [];
        public Target First => _ => _.Executes(Record("first"));
        public Target Grow => _ => _.DependsOn(First).Validates(CheckSize).Executes(Record("grow"));

        void CheckSize()
        {
            Checked.Add("size");
            if (Size < 1) throw new UsageException($"--size {Size} is too small; use 1 or more.");
        }
    }

    [Fact]
    public async Task A_validation_that_throws_stops_the_build_before_any_target_runs_with_its_own_message()
    {
        var build = new ValidatesBuild();
        var run = await Run.Build(build, "grow --size 0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--size 0 is too small; use 1 or more.", run.Err);
        Assert.Empty(build.Ran);   // not even the dependency ran
        Assert.Equal(["size"], build.Checked);

        var ok = new ValidatesBuild();
        run = await Run.Build(ok, "grow --size 2 --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["first", "grow"], ok.Ran);
        Assert.Equal(["size"], ok.Checked);
    }

    sealed class UsageInTargetBuild : BuildBase
    {
        public Target Check => _ => _.Executes(() => throw new UsageException("--size 0 is too small; use 1 or more."));
    }

    [Fact]
    public async Task A_usage_exception_from_a_target_exits_2()
    {
        var run = await Run.Build(new UsageInTargetBuild(), "check");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(ExecutionStatus.Failed, run.Status("check"));
        Assert.Contains("--size 0 is too small; use 1 or more.", run.Out);
    }

    [Fact]
    public async Task Success_exits_0_and_the_summary_lists_every_target()
    {
        var run = await Run.Build(new GraphBuild(), "compile --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"restore\s+Succeeded\s+\d+\.\d\ds", run.Out);
        Assert.Matches(@"compile\s+Succeeded", run.Out);
        Assert.Contains("Build succeeded:", run.Out);
    }
}
