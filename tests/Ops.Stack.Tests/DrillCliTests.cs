using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Aws.Sqs;
using Ops.LocalCloud;

namespace Ops.Stack.Tests;

/// <summary>
/// The whole drill as a user runs it (./build.sh drill, a child process) on a LocalCloud with a state directory: real
/// PostgreSQL and Redis behind RDS, Redshift and ElastiCache (tests/run.sh installs them), the real web process, real
/// workers (workers/python/drain_worker.py). Every marker survives and the report says so; with markers deleted behind
/// its back, the drill fails and names them.
/// </summary>
public sealed class DrillCliTests : IAsyncLifetime
{
    readonly string _state = Directory.CreateTempSubdirectory("ops-drill-").FullName;
    LocalCloudServer _server = null!;
    string _stackFile = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalCloudServer.StartAsync(TestClouds.Options(_state));
        var script = Path.Combine(FleetCloud.RepositoryRoot, "workers", "python", "drain_worker.py");
        _stackFile = Path.Combine(_state, "ops.stack.yml");
        // dr2's queued message is purged behind the drill's back: its verify waits the whole update-timeout for nothing.
        var stage = (string name, int updateTimeout) => $$"""
              {{name}}:
                repository: {name: {{name}}-worker}
                local: {command: [python3, "{{script}}"], prepare: []}
                worker: {drain: kill-ack, longest-message: 20s}
                queues:
                  work: {visibility-timeout: 30s}
                rollout: {drain-timeout: 30s, update-timeout: {{updateTimeout}}s}
                ecs:
                  desired-count: 1
                  stop-timeout: 15s
                  environment: {OPS_WAIT_SECONDS: "1"}
            """;
        await File.WriteAllTextAsync(_stackFile, "stages:\n" + stage("dr1", 60) + "\n" + stage("dr2", 20) + "\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    Task<CliRun> Drill(string stage) =>
        OpsCli.RunAsync(["drill", "--stage", stage, "--skip", "build-docker", "--endpoint-url", _server.Url.ToString(), "--stack", _stackFile, "--output", "json"], TimeSpan.FromMinutes(8));

    static JsonNode Report(string stage)
    {
        var file = new DirectoryInfo(Path.Combine(FleetCloud.RepositoryRoot, ".nuke", "temp", "drills")).GetFiles($"{stage}-*.json").OrderBy(f => f.LastWriteTimeUtc).Last();
        return JsonNode.Parse(File.ReadAllText(file.FullName))!;
    }

    [Fact]
    public async Task The_drill_brings_the_stage_up_tears_it_down_recreates_it_and_every_marker_survives()
    {
        Assert.Contains("PostgreSQL (", _server.DataStoreStatus, StringComparison.Ordinal); // tests/run.sh installs postgresql and redis-server
        var run = await Drill("dr1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("nothing lost: 6 marker(s) survived, 0 skipped", run.Err);
        Assert.Contains("real:      web, postgresql, redshift, redis, workers", run.Err);
        Assert.Contains("simulated: worker-image", run.Err);      // --skip build-docker: the workers run the local command

        var results = run.Results();
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Equal(1, (int)r["schema_version"]!));
        Assert.Contains(results, r => (string?)r["result"] == "rollout" && (string?)r["target"] == "update-ecs" && (string?)r["phase"] == "completed" && (bool)r["ok"]!);
        var drill = results[^1]!;
        Assert.Equal("drill", (string?)drill["result"]);
        Assert.Equal(Report("dr1").ToJsonString(), drill.ToJsonString());     // stdout and the report file: one document

        Assert.True((bool)drill["ok"]!, drill.ToJsonString());
        Assert.Equal("dr1", (string?)drill["stage"]);
        Assert.True((double)drill["rto_seconds"]! > 0);
        Assert.Equal(["markers", "teardown", "recreate", "verify"], drill["phases"]!.AsArray().Select(p => (string)p!["phase"]!));
        Assert.All(drill["markers"]!.AsArray(), m => Assert.Equal("survived", (string?)m!["state"]));
        Assert.Equal(["postgresql", "redshift", "redis", "s3", "dynamodb", "sqs"], drill["markers"]!.AsArray().Select(m => (string)m!["store"]!));
        Assert.StartsWith("consumed by the recreated worker ", (string?)drill["markers"]![5]!["detail"]);
        Assert.Equal(["worker-image", "web", "postgresql", "redshift", "redis", "workers"], drill["parts"]!.AsArray().Select(p => (string)p!["part"]!));
        Assert.Null(drill["failure"]);
    }

    [Fact]
    public async Task Markers_deleted_and_the_queue_purged_behind_the_drills_back_fail_it_naming_each_loss()
    {
        var connection = TestClouds.Connection(_server.Url, 5);
        using var stop = new CancellationTokenSource();
        // Behind its back: as soon as the drill's S3 object and DynamoDB item exist, delete them; then, once the teardown
        // stopped every worker and the drill's message waits on the work queue, purge the queue.
        var saboteur = Task.Run(async () =>
        {
            using var s3 = AwsConnectionFactory.CreateS3(connection);
            using var dynamo = AwsConnectionFactory.CreateDynamoDb(connection);
            var deleted = 0;
            while (!stop.IsCancellationRequested && deleted < 2)
            {
                try
                {
                    foreach (var o in (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "iotile-uploads-dr2", Prefix = "ops-drill/" })).S3Objects ?? [])
                    {
                        await s3.DeleteObjectAsync("iotile-uploads-dr2", o.Key);
                        deleted++;
                    }
                    foreach (var item in (await dynamo.ScanAsync(new ScanRequest { TableName = "iotile-devices-dr2" })).Items.Where(i => i["slug"].S.StartsWith("ops-drill-",
                        StringComparison.Ordinal)))
                    {
                        await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = "iotile-devices-dr2", Key = new() { ["slug"] = item["slug"] } });
                        deleted++;
                    }
                }
                catch (Exception e) when (e is Amazon.S3.AmazonS3Exception or Amazon.DynamoDBv2.AmazonDynamoDBException)
                {
                    // not created yet
                }
                await Task.Delay(100, stop.Token);
            }
            var ecs = new EcsClient(connection);
            var sqs = new SqsClient(connection);
            var queue = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = "iotile-worker-dr2" }, stop.Token)).QueueUrl!;
            while ((await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "iotile-dr2" }, stop.Token)).TaskArns is { Count: > 0 })
                await Task.Delay(100, stop.Token);
            while (true)
            {
                var attributes = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queue, AttributeNames = ["ApproximateNumberOfMessages"] },
                    stop.Token)).Attributes;
                if (attributes != null && attributes.TryGetValue("ApproximateNumberOfMessages", out var n) && n != "0") break;
                await Task.Delay(100, stop.Token);
            }
            await sqs.PurgeQueueAsync(new PurgeQueueRequest { QueueUrl = queue }, stop.Token);
        });
        var run = await Drill("dr2");
        await stop.CancelAsync();
        await saboteur;      // it finished its work: the purge happened
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(run.Err.Contains("lost 3 marker(s): s3 s3://iotile-uploads-dr2/ops-drill/", StringComparison.Ordinal)
                    && run.Err.Contains("dynamodb iotile-devices-dr2: slug ops-drill-", StringComparison.Ordinal)
                    && run.Err.Contains("sqs iotile-worker-dr2: a Sleep message carrying ", StringComparison.Ordinal)
                    && run.Err.Contains("(no worker took it within 20 s)", StringComparison.Ordinal)
                    && run.Err.Contains("LOST 3: s3, dynamodb, sqs", StringComparison.Ordinal), run.ToString());
        var drill = run.Results()[^1];
        Assert.Equal("drill", (string?)drill["result"]);
        Assert.False((bool)drill["ok"]!);
        Assert.Equal(3, (int)drill["lost"]!);
        Assert.Equal(Report("dr2").ToJsonString(), drill.ToJsonString());
    }
}
