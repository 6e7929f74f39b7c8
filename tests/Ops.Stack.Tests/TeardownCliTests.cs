using System.Text.Json.Nodes;
using Ops.LocalCloud;

namespace Ops.Stack.Tests;

/// <summary>
/// teardown and recreate as a user runs them (./build.sh as a child process) against a LocalCloud with a state directory:
/// real worker processes (workers/python/drain_worker.py, written from the drain protocol) and the web tier's real web
/// process. Teardown drains the workers, removes the compute and deletes no data store (request log); recreate brings back
/// the recorded web version and a worker that consumes what was queued meanwhile.
/// </summary>
public sealed class TeardownCliTests : IAsyncLifetime
{
    const string Stage = "td1";

    /// <summary>Services whose resources hold data; teardown may read them, never delete from them.</summary>
    static readonly string[] DataServices = ["rds", "redshift", "elasticache", "dynamodb", "s3", "sqs", "sns", "ssm", "firehose"];

    readonly string _state = Directory.CreateTempSubdirectory("ops-teardown-").FullName;
    readonly string _source = $".nuke/temp/teardown-tests/{Guid.NewGuid():N}/web";

    string SourceDirectory => Path.Combine(FleetCloud.RepositoryRoot, _source);
    LocalCloudServer _server = null!;
    string _stackFile = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalCloudServer.StartAsync(TestClouds.Options(_state) with { RunDataStores = false });
        var script = Path.Combine(FleetCloud.RepositoryRoot, "workers", "python", "drain_worker.py");
        foreach (var name in new[] { "Procfile", "application.py" })
        {
            Directory.CreateDirectory(SourceDirectory);
            File.Copy(Path.Combine(FleetCloud.RepositoryRoot, "web", name), Path.Combine(SourceDirectory, name));
        }
        _stackFile = Path.Combine(_state, "ops.stack.yml");
        await File.WriteAllTextAsync(_stackFile, $$"""
            stages:
              {{Stage}}:
                repository: {name: {{Stage}}-worker}
                local: {command: [python3, "{{script}}"], prepare: []}
                web: {source: {{_source}}}
                worker: {drain: kill-ack, longest-message: 20s}
                queues:
                  work: {visibility-timeout: 30s}
                rollout: {drain-timeout: 30s, update-timeout: 60s}
                ecs:
                  desired-count: 2
                  stop-timeout: 15s
                  environment: {OPS_WAIT_SECONDS: "1"}
            """);
        foreach (var name in new[] { "RdsPassword", "RedisAuthToken", "RedshiftPassword", "StreamTimeSeriesPassword" })
            await AwsCli.Run(_server.Url, "ssm", "put-parameter", "--name", $"iotilecloud.{Stage}.{name}", "--type", "SecureString", "--value", $"{name}-{Guid.NewGuid():N}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_state, recursive: true);
        Directory.Delete(Path.GetDirectoryName(SourceDirectory)!, recursive: true);
    }

    Task<CliRun> Run(params string[] args) =>
        OpsCli.RunAsync([.. args, "--stage", Stage, "--endpoint-url", _server.Url.ToString(), "--stack", _stackFile], TimeSpan.FromMinutes(5));

    async Task<JsonNode?> EnvironmentAsync() =>
        (await AwsCli.Run(_server.Url, "elasticbeanstalk", "describe-environments", "--environment-names", $"iotile-cloud-{Stage}", "--no-include-deleted"))!["Environments"]!.AsArray().FirstOrDefault();

    async Task<string> ServiceStatusAsync()
    {
        var services = (await AwsCli.Run(_server.Url, "ecs", "describe-services", "--cluster", $"iotile-{Stage}", "--services", $"iotile-worker-{Stage}"))!["services"]!.AsArray();
        return services.Count == 0 ? "MISSING" : $"{services[0]!["status"]} {services[0]!["runningCount"]}";
    }

    [Fact]
    public async Task Teardown_drains_removes_compute_and_no_data_store_and_recreate_brings_back_the_recorded_version_and_a_worker_that_consumes_the_queue()
    {
        var up = await Run("create-ecs", "create");
        Assert.True(up.ExitCode == 0, up.ToString());
        var version = (string)(await EnvironmentAsync())!["VersionLabel"]!;
        Assert.Contains($"recorded /ops/IOTileCloud/{Stage}/deployed-web-version = {version}", up.Out);

        var dry = await Run("teardown", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"would change eb environment iotile-cloud-{Stage}: status Ready Green, version {version} → terminated", dry.Out);
        Assert.NotNull(await EnvironmentAsync());

        var before = _server.Requests.Entries.Count;
        var teardown = await Run("teardown");
        Assert.True(teardown.ExitCode == 0, teardown.ToString());
        Assert.Contains("acknowledged 2/2", teardown.Out);
        var deletes = _server.Requests.Entries.Skip(before)
            .Where(e => DataServices.Contains(e.Service)
            && (e.Operation.StartsWith("Delete", StringComparison.Ordinal) || e.Operation.StartsWith("DELETE ", StringComparison.Ordinal)))
            .Select(e => $"{e.Service}:{e.Operation}").ToList();
        // Allowed: kill messages consumed (sqs:DeleteMessage) and the rollout lease released (dynamodb:DeleteItem); no table,
        // queue, bucket, object, topic, parameter, stream, database or cache.
        Assert.True(deletes.All(d => d is "sqs:DeleteMessage" or "dynamodb:DeleteItem"), $"teardown deleted data: {string.Join(", ", deletes)}");
        Assert.DoesNotContain(_server.Requests.Entries.Skip(before), e => e.Operation is "PurgeQueue" or "DeleteTable" or "DeleteBucket");
        Assert.Null(await EnvironmentAsync());
        Assert.Equal("INACTIVE 0", await ServiceStatusAsync());

        var again = await Run("teardown");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to drain", again.Out);

        var queue = (string)(await AwsCli.Run(_server.Url, "sqs", "get-queue-url", "--queue-name", $"iotile-worker-{Stage}"))!["QueueUrl"]!;
        await AwsCli.Run(_server.Url, "sqs", "send-message", "--queue-url", queue, "--message-body", "{\"module\":\"ops.worker\",\"class\":\"Sleep\",\"arguments\":{\"ms\":50}}");

        // The working tree moved on since the deploy: recreate brings back what was deployed, not this.
        await File.AppendAllTextAsync(Path.Combine(SourceDirectory, "application.py"), "\n# changed after the deploy\n");
        var recreate = await Run("recreate");
        Assert.True(recreate.ExitCode == 0, recreate.ToString());
        Assert.Contains($"web: the recorded version {version}", recreate.Out);
        var env = (await EnvironmentAsync())!;
        Assert.Equal((version, "Ready", "Green"), ((string?)env["VersionLabel"], (string?)env["Status"], (string?)env["Health"]));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
            Assert.Contains($"Stage: <b>{Stage}</b>", await http.GetStringAsync($"http://{env["CNAME"]}/"));
        Assert.StartsWith("ACTIVE", await ServiceStatusAsync());

        // The message queued while nothing ran is consumed by the recreated workers.
        for (var i = 0; i < 120; i++)
        {
            var attributes = (await AwsCli.Run(_server.Url, "sqs", "get-queue-attributes", "--queue-url", queue, "--attribute-names", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))!["Attributes"]!;
            if ((string?)attributes["ApproximateNumberOfMessages"] == "0" && (string?)attributes["ApproximateNumberOfMessagesNotVisible"] == "0") break;
            await Task.Delay(500);
        }
        var items = (await AwsCli.Run(_server.Url, "dynamodb", "scan", "--table-name", $"iotile-worker-logs-{Stage}"))!["Items"]!.AsArray();
        Assert.Contains(items, item => (string?)item!["arguments"]?["S"] == "{\"ms\":50}" && (string?)item["status"]?["S"] == "done");

        var status = await Run("status", "--output", "json");
        var rows = JsonNode.Parse(status.Out)!["resources"]!.AsArray();
        Assert.All(rows.Where(r => (string?)r!["kind"] is "eb-environment" or "ecs-service"), r => Assert.True((bool)r!["healthy"]!, r.ToJsonString()));
    }
}
