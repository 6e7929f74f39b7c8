namespace Ops.Targets.Tests;

public class SecretTests
{
    const string Password = "hunter2-Sup3rS3cret";

    sealed class SecretBuild : RecordingBuild
    {
        [Parameter("Database password"), Secret] public string? DbPassword;
        [Parameter, Secret] public int Pin;
        public Target Leak => _ => _.Executes(() =>
        {
            Log.Info($"connecting with password {DbPassword}");
            Log.Warning($"pw again: {DbPassword}!");
        });
        public Target Throw => _ => _.Executes(() => throw new InvalidOperationException($"login failed for password '{DbPassword}'"));
        public Target Quiet => _ => _.Executes(Record("quiet"));
    }

    [Fact]
    public async Task Help_shows_a_set_secret_as_stars()
    {
        var run = await Run.Build(new SecretBuild(), $"--help --db-password {Password}");
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(Password, run.Out);
        Assert.Matches(@"--db-password <string>\s+Database password\s+= \*\*\*\* \(the command line\)", run.Out);
    }

    [Fact]
    public async Task Log_lines_and_exception_messages_and_the_summary_never_show_the_secret()
    {
        var run = await Run.Build(new SecretBuild(), $"leak throw --parallel 1", env: new Dictionary<string, string> { ["OPS_DB_PASSWORD"] = Password });
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain(Password, run.Out + run.Err);
        Assert.Contains("connecting with password ****", run.Out);
        Assert.Contains("warning: pw again: ****!", run.Out);
        Assert.Contains("login failed for password '****'", run.Report["throw"]!.Reason);
        Assert.Matches(@"throw\s+Failed.*login failed for password '\*\*\*\*'", run.Out);
    }

    [Fact]
    public async Task An_invalid_secret_value_is_not_echoed_in_the_error()
    {
        var run = await Run.Build(new SecretBuild(), "quiet --pin 12ab34");
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("12ab34", run.Err);
        Assert.Contains("--pin (from the command line): '****' is not a whole number.", run.Err);
    }

    [Fact]
    public async Task The_continue_state_file_does_not_contain_the_secret()
    {
        using var root = new TestRoot();
        await Run.Build(new SecretBuild(), $"quiet --db-password {Password}", root);
        var state = await File.ReadAllTextAsync(root.Nuke("temp/build-state.json"));
        Assert.DoesNotContain(Password, state);
        Assert.Contains("quiet", state);
    }
}
