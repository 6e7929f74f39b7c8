using OpsBuild = Ops.Build.Build;

namespace Ops.Build.Tests;

/// <summary>The real build's command line where it meets a cloud: failures as one line with the fix, and the exit code.</summary>
public class BuildCliTests
{
    [Fact]
    public async Task A_refused_endpoint_is_one_line_exit_1_and_the_summary_keeps_the_fix()
    {
        var port = LoopbackPort.Free();
        var run = await Run.Build(new OpsBuild(), $"whoami --endpoint-url http://127.0.0.1:{port}");
        Assert.Equal(1, run.ExitCode);
        var line = $"[whoami]  error: Connection refused by http://127.0.0.1:{port}/ (STS GetCallerIdentity): nothing listens there; start the endpoint (./build.sh local-cloud, moto_server) or fix --endpoint-url.";
        Assert.Contains(line + "\n", run.Out);
        Assert.Single(run.Out.Split('\n'), l => l.Contains("error:"));
        Assert.DoesNotContain("   at ", run.Out);
        Assert.DoesNotContain("HttpRequestException", run.Out);
        Assert.Contains("or fix --endpoint-url.\n", run.Out[run.Out.IndexOf("Reason", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Missing_credentials_for_cloud_aws_name_what_was_tried_and_exit_2()
    {
        var run = await Run.Build(new OpsBuild(), "whoami --cloud aws", env: new Dictionary<string, string>
        {
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_CONFIG_FILE"] = "/dev/null",
        });
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No AWS credentials found for --cloud aws (tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE", run.Out);
        Assert.DoesNotContain(":)", run.Out);
        Assert.Contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.\n", run.Out[run.Out.IndexOf("Reason", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task The_request_timeout_is_a_parameter_and_a_silent_endpoint_says_what_waited_how_long()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        // With AWS_MAX_ATTEMPTS set the build leaves the attempts to the SDK (3), not its own 10 with backoff (over a minute here).
        var run = await Run.Build(new OpsBuild(), $"whoami --endpoint-url http://127.0.0.1:{port} --aws-timeout 1s",
            env: new Dictionary<string, string> { ["AWS_MAX_ATTEMPTS"] = "3" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"[whoami]  error: No answer from http://127.0.0.1:{port}/ to STS GetCallerIdentity within 1s per request (gave up after ", run.Out);
        Assert.DoesNotContain("   at ", run.Out);
    }

    [Fact]
    public async Task Aws_profile_with_cloud_local_warns_that_it_is_ignored()
    {
        var run = await Run.Build(new OpsBuild(), "info --aws-profile ops-admin");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: --aws-profile 'ops-admin' is ignored with --cloud local (the local cloud's own keys sign); add --cloud aws to use it.", run.Out);
        Assert.DoesNotContain("ignored", (await Run.Build(new OpsBuild(), "info --cloud aws --aws-profile ops-admin")).Out);
    }
}
