using OpsBuild = Ops.Build.Build;

namespace Ops.Build.Tests;

/// <summary>The real build project's global parameters: defaults, validation, the info target.</summary>
public class BuildProjectTests
{
    [Fact]
    public async Task Info_prints_the_defaults()
    {
        var run = await Run.Build(new OpsBuild(), "info");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("[info]  stage        dev", run.Out);
        Assert.Contains("[info]  cloud        local (nothing reaches AWS)", run.Out);
        Assert.Contains("[info]  region       us-east-1", run.Out);
    }

    [Fact]
    public async Task Info_reflects_the_cloud_endpoint_and_profile_given()
    {
        var run = await Run.Build(new OpsBuild(), "info --cloud aws --stage prod --region eu-west-2 --aws-profile ops-admin --endpoint-url http://127.0.0.1:5000");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("stage        prod", run.Out);
        Assert.Contains("cloud        aws (real AWS, standard credential chain)", run.Out);
        Assert.Contains("endpoint     http://127.0.0.1:5000/", run.Out);
        Assert.Contains("aws-profile  ops-admin", run.Out);
    }

    [Theory]
    [InlineData("--stage qa", "--stage 'qa' is not defined by the stack (stages: dev, stage, prod); add it under stages: in ops.stack.yml")]
    [InlineData("--cloud gcp", "--cloud (from the command line): 'gcp' is not one of local, aws.")]
    [InlineData("--region useast1", "--region 'useast1' is not an AWS region name; use one like us-east-1 or eu-west-2.")]
    [InlineData("--endpoint-url ftp://x", "--endpoint-url 'ftp://x/' must be an http:// or https:// URL, like http://127.0.0.1:4566.")]
    [InlineData("--endpoint-url localhost", "--endpoint-url (from the command line): 'localhost' is not an absolute URL (like http://127.0.0.1:4566).")]
    public async Task Bad_global_parameters_are_usage_errors(string args, string error)
    {
        var run = await Run.Build(new OpsBuild(), "info " + args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: " + error, run.Err.Trim());
        Assert.Empty(run.Report.Results);
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-central-2")]
    [InlineData("us-gov-west-1")]
    [InlineData("ap-southeast-3")]
    public async Task Real_region_names_are_accepted(string region)
    {
        Assert.Equal(0, (await Run.Build(new OpsBuild(), $"info --region {region}")).ExitCode);
    }

    [Fact]
    public async Task A_100k_character_stage_is_named_by_its_start_and_length_not_echoed_whole()
    {
        var stage = new string('q', 100_000);
        var run = await Run.Build(new OpsBuild(), $"info --stage {stage}");
        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"… \(1000\d\d characters\)", run.Err); // the quoted run: the stage and its quotes
        Assert.True(run.Err.Length < 2_000, $"{run.Err.Length} characters of error output");
    }

    [Fact]
    public async Task The_stage_can_come_from_the_environment()
    {
        var run = await Run.Build(new OpsBuild(), "info", env: new Dictionary<string, string> { ["OPS_STAGE"] = "Prod" });
        Assert.Contains("stage        prod", run.Out);
    }

    [Fact]
    public async Task Whoami_starts_the_local_cloud_in_process_with_state_under_nuke_temp()
    {
        using var root = new TestRoot();
        var run = await Run.Build(new OpsBuild(), "whoami --local-cloud-speed instant", root);
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Contains("[whoami]  account  123456789012", run.Out);
        Assert.Contains("local cloud started at http://127.0.0.1:", run.Out);
        Assert.True(File.Exists(root.Nuke("temp/local-cloud/server.lock")));
        Assert.False(File.Exists(root.Nuke("temp/local-cloud/server.json")));   // gone once the run ended
    }

    [Fact]
    public async Task The_local_cloud_target_refuses_a_port_in_use_with_a_usage_error()
    {
        using var root = new TestRoot();
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var run = await Run.Build(new OpsBuild(), $"local-cloud --port {port}", root);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"Port {port} on 127.0.0.1 is in use; pass --port with a free port", run.Out);
    }

    [Fact]
    public async Task A_bad_port_is_a_usage_error()
    {
        var run = await Run.Build(new OpsBuild(), "local-cloud --port 70000");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --port 70000 is not a TCP port; use 1 to 65535, like 4566.", run.Err.Trim());
    }

    [Fact]
    public async Task Cloud_aws_reads_credentials_from_the_build_environment()
    {
        var dir = Directory.CreateTempSubdirectory("ops-profile-").FullName;
        File.WriteAllText(Path.Combine(dir, "credentials"), "[ops-dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n");
        // No real AWS: the profile resolves, then --endpoint-url sends the call to a local port nobody answers on.
        var run = await Run.Build(new OpsBuild(), "whoami --cloud aws --aws-profile ops-dev --endpoint-url http://127.0.0.1:9",
            env: new Dictionary<string, string> { ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(dir, "credentials") });
        Assert.Equal(1, run.ExitCode);                                         // the profile was found: the failure is the call, not the input
        Assert.DoesNotContain("was not found", run.Out);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task An_unknown_aws_profile_is_a_usage_error_naming_it()
    {
        var run = await Run.Build(new OpsBuild(), "whoami --cloud aws --aws-profile no-such-profile-here",
            env: new Dictionary<string, string> { ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null", ["AWS_CONFIG_FILE"] = "/dev/null" });
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("AWS profile 'no-such-profile-here' was not found", run.Out);
    }
}
