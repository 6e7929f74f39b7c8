namespace Ops.Targets.Tests;

/// <summary>A build that keeps standard output for data (<c>--output json</c>) sends every log line to standard error.</summary>
public sealed class DataOutputTests
{
    [Fact]
    public async Task When_stdout_is_data_it_holds_only_the_data_and_logs_and_summary_go_to_stderr()
    {
        var run = await Run.Build(new DataBuild(), "result --json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"ok\":true}\n", run.Out);
        Assert.Contains("[prepare]  preparing", run.Err);
        Assert.Contains("warning: a warning", run.Err);
        Assert.Contains("Build succeeded", run.Err);
    }

    [Fact]
    public async Task When_stdout_is_data_a_failure_is_reported_on_stderr_and_stdout_keeps_the_data()
    {
        var run = await Run.Build(new DataBuild(), "result --json --fail");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("{\"ok\":true}\n", run.Out);
        Assert.Contains("the result failed", run.Err);
    }

    [Fact]
    public async Task With_stdout_redirected_and_stderr_on_a_terminal_the_log_there_is_coloured()
    {
        var run = await Run.Build(new DataBuild(), "result --json", terminal: false, errorTerminal: true);

        Assert.Equal("{\"ok\":true}\n", run.Out);
        Assert.Contains("\e[33ma warning\e[0m", run.Err);
    }

    [Fact]
    public async Task With_stderr_redirected_its_log_is_plain_even_when_stdout_is_a_terminal()
    {
        var run = await Run.Build(new DataBuild(), "result --json", terminal: true, errorTerminal: false);

        Assert.Equal("{\"ok\":true}\n", run.Out);
        Assert.Contains("warning: a warning", run.Err);
        Assert.DoesNotContain("\e[", run.Err);
    }

    [Fact]
    public async Task Otherwise_logs_share_stdout_with_the_data_and_the_summary_moves_to_stderr()
    {
        var run = await Run.Build(new DataBuild(), "result");

        Assert.Contains("[prepare]  preparing", run.Out);
        Assert.Contains("{\"ok\":true}\n", run.Out);
        Assert.DoesNotContain("Build succeeded", run.Out);
        Assert.Contains("Build succeeded", run.Err);
    }
}
