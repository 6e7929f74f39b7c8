namespace Ops.Build.Tests;

/// <summary>./build.sh local-cloud as a real process, driven by the aws CLI the way a user would.</summary>
public class LocalCloudTargetTests
{
    [Fact]
    public async Task The_aws_cli_talks_to_the_foreground_local_cloud_which_stops_cleanly_on_SIGTERM_with_a_report()
    {
        using var root = new TestRoot();
        var port = LoopbackPort.Free();
        using var server = LocalCloudProcess.Start(root, port);
        await server.WaitForOutput("press Ctrl+C to stop", TimeSpan.FromSeconds(60));
        Assert.Contains($"local cloud listening on http://127.0.0.1:{port}/", server.Out);

        var endpoint = new Uri($"http://127.0.0.1:{port}");
        var created = await AwsCli.Run(endpoint, "sqs", "create-queue", "--queue-name", "iotile-worker-dev");
        Assert.Equal($"http://127.0.0.1:{port}/123456789012/iotile-worker-dev", (string?)created!["QueueUrl"]);
        await AwsCli.Run(endpoint, "rds", "create-db-instance", "--db-instance-identifier", "iotile-db",
            "--db-instance-class", "db.t3.micro", "--engine", "postgres", "--master-username", "iotile", "--master-user-password", "correct-horse");
        await AwsCli.Run(endpoint, "rds", "wait", "db-instance-available", "--db-instance-identifier", "iotile-db");

        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExit(TimeSpan.FromSeconds(30)));   // a clean stop, not a cancelled build
        Assert.Contains("[local-cloud]  stopped", server.Out);
        Assert.Matches(@"local-cloud\s+Succeeded", server.Out);
        Assert.DoesNotContain("Cancelled", server.Out);
        Assert.Contains("Build succeeded", server.Out);
        Assert.Contains("served ", server.Out);
        Assert.Matches(@"rds\s+CreateDBInstance\s+1 call\(s\)", server.Out);
        Assert.DoesNotContain("correct-horse", server.Out + File.ReadAllText(root.Nuke("temp/local-cloud/rds.json")));
        Assert.Contains("iotile-worker-dev", File.ReadAllText(root.Nuke("temp/local-cloud/sqs.json")));
    }
}
