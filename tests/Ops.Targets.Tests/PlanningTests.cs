namespace Ops.Targets.Tests;

public class PlanningTests
{
    [Fact]
    public async Task Dependencies_run_before_their_dependents_and_only_what_is_needed_runs()
    {
        var build = new GraphBuild();
        var run = await Run.Build(build, "test --parallel 1");
        Assert.Equal(0, run.ExitCode);
        // audit is triggered by compile; ties go by declaration order; clean, pack, publish are not needed.
        Assert.Equal(["restore", "compile", "test", "audit"], build.Ran);
    }

    [Fact]
    public async Task Ordering_edges_apply_only_when_both_targets_are_in_the_plan()
    {
        var build = new GraphBuild();
        await Run.Build(build, "restore clean --parallel 1");
        Assert.Equal(["clean", "restore"], build.Ran);

        var pack = new GraphBuild();
        await Run.Build(pack, "pack test --parallel 1");
        Assert.True(pack.Ran.ToList().IndexOf("test") < pack.Ran.ToList().IndexOf("pack"), string.Join(",", pack.Ran));
    }

    [Fact]
    public async Task DependentFor_makes_the_target_a_dependency()
    {
        var build = new GraphBuild();
        await Run.Build(build, "pack --parallel 1");
        Assert.Contains("docs", build.Ran);
        Assert.True(build.Ran.ToList().IndexOf("docs") < build.Ran.ToList().IndexOf("pack"));
    }

    [Fact]
    public async Task Names_are_case_insensitive_and_ignore_dashes()
    {
        foreach (var spelling in new[] { "create-rds-instance", "CreateRdsInstance", "createrdsinstance", "CREATE_RDS_INSTANCE" })
        {
            var build = new GraphBuild();
            var run = await Run.Build(build, spelling);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal(["create-rds-instance"], build.Ran);
        }
    }

    [Fact]
    public async Task Target_option_takes_plus_separated_names()
    {
        var build = new GraphBuild();
        var run = await Run.Build(build, "--target restore+create-rds-instance --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["restore", "create-rds-instance"], build.Ran);
    }

    [Fact]
    public async Task Unknown_target_is_a_usage_error_with_a_suggestion_and_the_list()
    {
        var build = new GraphBuild();
        var run = await Run.Build(build, "compiel");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Target 'compiel' does not exist. Did you mean 'compile'?", run.Err);
        Assert.Contains("Available targets: clean, restore, compile", run.Err);
        Assert.DoesNotContain("secretive", run.Err);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public async Task A_cycle_is_rejected_naming_the_cycle()
    {
        var run = await Run.Build(new CycleBuild(), "a");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Circular dependency between targets: a -> b -> c -> a", run.Err);
    }

    [Fact]
    public async Task Skip_with_names_skips_those_and_without_names_skips_all_but_the_invoked()
    {
        var named = new GraphBuild();
        var run = await Run.Build(named, "test --skip compile --parallel 1");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ExecutionStatus.Skipped, run.Status("compile"));
        Assert.Equal("--skip", run.Report["compile"]!.Reason);
        Assert.Contains("restore", named.Ran);
        Assert.Contains("test", named.Ran);

        var all = new GraphBuild();
        run = await Run.Build(all, "test --skip");
        Assert.Equal(["test"], all.Ran);
        Assert.Equal(ExecutionStatus.Skipped, run.Status("restore"));
    }

    [Fact]
    public async Task Plan_prints_waves_and_writes_a_mermaid_graph_with_distinct_edge_styles()
    {
        using var root = new TestRoot();
        var build = new GraphBuild();
        var run = await Run.Build(build, "publish clean --plan --parallel 3", root);
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("at most 3 at a time", run.Out);
        Assert.Matches(@"wave 1\s+clean\s+invoked", run.Out);
        Assert.Matches(@"wave 2\s+restore\s+dependency of compile", run.Out);
        Assert.Matches(@"notify\s+triggered by publish\s+\[runs if triggered\]", run.Out);

        var html = await File.ReadAllTextAsync(root.Nuke("temp/plan.html"));
        Assert.Contains("t_restore --&gt; t_compile", html);    // dependency
        Assert.Contains("t_clean -.-&gt; t_restore", html);     // ordering
        Assert.Contains("t_publish ==&gt; t_notify", html);     // trigger
        Assert.Contains("class=\"mermaid\"", html);
    }
}
