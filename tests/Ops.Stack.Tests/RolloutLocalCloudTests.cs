using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Aws.Sqs;
using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Model;
using Ops.Stack.Rollout;

namespace Ops.Stack.Tests;

/// <summary>
/// The rollout against LocalCloud over the real wire: clock-driven tasks (no processes), the test playing the workers by
/// writing ack records and ShutDown-0 worker-log items; checked through the record, the queue and the request log.
/// </summary>
[Collection(FleetCloudCollection.Name)]
public sealed class RolloutLocalCloudTests(FleetCloud cloud)
{
    static RolloutOptions Options(bool force = false, TimeSpan? drainTimeout = null, int pid = 0) => new()
    {
        Strategy = DrainStrategy.KillAck,
        DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(60),
        UpdateTimeout = TimeSpan.FromSeconds(30),
        Force = force,
        DrainPoll = TimeSpan.FromMilliseconds(100),
        UpdatePoll = TimeSpan.FromMilliseconds(100),
        Settle = TimeSpan.FromMilliseconds(300),
        Pid = pid == 0 ? Environment.ProcessId : pid,
    };

    async Task<StageStack> FleetAsync(string stage, int desired)
    {
        var stack = FleetCloud.Stack(stage) with { Ecs = FleetCloud.Stack(stage).Ecs with { DesiredCount = desired } };
        var context = cloud.Context(stack, new CapturedLog());
        await new QueueProvisioner(context).EnsureAsync(default);
        await new WorkerLogTableProvisioner(context).EnsureAsync(default);
        await new RepositoryProvisioner(context).EnsureAsync(default);
        await new EcsProvisioner(context).EnsureAsync(default);
        return stack;
    }

    async Task<List<string>> TaskIdsAsync(StageStack stack) =>
        (await new EcsClient(cloud.Connection).ListTasksItemsAsync(new ListTasksRequest { Cluster = stack.Ecs.Cluster, ServiceName = stack.Ecs.Service,
            DesiredStatus = "RUNNING" }).ToListAsync())
        .Select(a => a.Split('/')[^1]).ToList();

    /// <summary>The kill messages on the work queue (received, left invisible): target task → arguments.</summary>
    async Task<Dictionary<string, JsonNode>> KillMessagesAsync(StageStack stack, int count)
    {
        var sqs = new SqsClient(cloud.Connection);
        var url = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = stack.Queues.Work.Name })).QueueUrl;
        var found = new Dictionary<string, JsonNode>();
        for (var i = 0; i < 100 && found.Count < count; i++)
        {
            foreach (var m in (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 1,
                VisibilityTimeout = 600 })).Messages ?? [])
            {
                var args = JsonNode.Parse(m.Body!)!["arguments"]!;
                found[args["target_task"]!.ToString()] = args;
            }
        }
        return found;
    }

    async Task AckAsync(StageStack stack, string rolloutId, string taskId)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(cloud.Connection);
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = stack.Rollout.Table,
            Item = new()
            {
                ["pk"] = new() { S = "ack#" + rolloutId },
                ["sk"] = new() { S = taskId },
                ["rollout_id"] = new() { S = rolloutId },
                ["task_id"] = new() { S = taskId },
                ["acked_at"] = new() { S = DateTimeOffset.UtcNow.ToString("O") },
                ["finished"] = new() { N = "0" },
            },
        });
    }

    async Task ShutDownItemAsync(StageStack stack, string server)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(cloud.Connection);
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = stack.WorkerLogTable,
            Item = new()
            {
                ["worker_uuid"] = new() { S = Guid.NewGuid().ToString() },
                ["timestamp"] = new() { S = RolloutStore.WorkerLogTime(DateTimeOffset.UtcNow) },
                ["task"] = new() { S = KillMessageFormat.Task },
                ["status"] = new() { S = WorkerLogFormat.ShutDownStatus },
                ["server"] = new() { S = server },
            },
        });
    }

    async Task<RolloutRecord> NewestAsync(StageStack stack)
    {
        using var store = new RolloutStore(cloud.Context(stack, new CapturedLog()));
        return (await store.NewestAsync(default))!;
    }

    int Count(int since, string operation) => cloud.Server.Requests.Entries.Skip(since).Count(e => $"{e.Service}:{e.Operation}" == operation);

    [Fact]
    public async Task Drain_acknowledged_by_an_ack_record_and_a_worker_log_item_then_update_completes_on_a_new_revision()
    {
        var stack = await FleetAsync("ro1", 2);
        var ids = await TaskIdsAsync(stack);
        var log = new CapturedLog();
        await using var session = await RolloutSession.OpenAsync(cloud.Context(stack, log), Options(), default);
        Assert.Contains("created the rollout table iotile-rollouts-ro1", log.Text);
        var drain = new WorkerDrainer(session).DrainAsync(default);

        var kills = await KillMessagesAsync(stack, 2);
        Assert.Equal(ids.Order(), kills.Keys.Order());
        var rolloutId = kills[ids[0]]["rollout_id"]!.ToString();
        Assert.Equal("iotile-worker-ro1:1", kills[ids[0]]["target_revision"]!.ToString());
        Assert.Equal("iotile-rollouts-ro1", kills[ids[0]]["ack_table"]!.ToString());
        await AckAsync(stack, rolloutId, ids[0]);
        await ShutDownItemAsync(stack, ids[1]);
        var drained = (await drain)!;

        Assert.Equal("drained", drained.Phase);
        Assert.Contains($"acknowledged {ids[0]} (rev 1) after", log.Text);
        Assert.Contains("via ack-record", log.Text);
        Assert.Contains("via worker-log", log.Text);
        Assert.Contains("acknowledged 2/2", log.Text);
        var record = await NewestAsync(stack);
        Assert.Equal(rolloutId, record.RolloutId);
        Assert.Equal("drained", record.Phase);
        Assert.All(record.Tasks.Values, t => Assert.Equal("acknowledged", t.State));
        Assert.EndsWith("iotile-worker-ro1:1", record.FromTaskDefinition);
        var described = await new FleetDescriber(cloud.Context(stack, new CapturedLog())).DescribeAsync(default);
        Assert.All(described.Tasks, t => Assert.Equal(new TaskDrainSummary("acknowledged", rolloutId, t.Drain!.Since, false, null), t.Drain));
        Assert.Contains("\"drain\": {", System.Text.Json.JsonSerializer.Serialize(described, FleetDescriber.Json));
        Assert.Contains(FleetDescriber.Lines(described), l => l.StartsWith(ids[0]) && l.Contains("acknowledged"));

        var completed = (await new WorkerUpdater(session).UpdateAsync(default))!;
        Assert.Equal("completed", completed.Phase);
        Assert.EndsWith("iotile-worker-ro1:2", completed.ToTaskDefinition);
        var service = (await new EcsClient(cloud.Connection).DescribeServicesAsync(new DescribeServicesRequest { Cluster = stack.Ecs.Cluster,
            Services = [stack.Ecs.Service] })).Services![0];
        Assert.EndsWith("iotile-worker-ro1:2", service.TaskDefinition);
        Assert.Single(service.Deployments!);
        var definition = await new EcsClient(cloud.Connection).DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = "iotile-worker-ro1:2" });
        var container = definition.TaskDefinition!.ContainerDefinitions![0];
        Assert.Contains(container.Environment!, e => e.Name == "OPS_DRAIN" && e.Value == "kill-ack");
        Assert.Equal("completed", (await NewestAsync(stack)).Phase);
    }

    [Fact]
    public async Task Drain_timeout_names_the_task_records_it_deploys_nothing_and_update_then_refuses()
    {
        var stack = await FleetAsync("ro2", 1);
        var id = (await TaskIdsAsync(stack)).Single();
        var before = cloud.Server.Requests.Entries.Count;
        var log = new CapturedLog();
        await using (var session = await RolloutSession.OpenAsync(cloud.Context(stack, log), Options(drainTimeout: TimeSpan.FromSeconds(1)), default))
        {
            var e = await Assert.ThrowsAsync<CloudStateException>(() => new WorkerDrainer(session).DrainAsync(default));
            Assert.Contains(id, e.Message);
            Assert.Contains("nothing was deployed", e.Message);
            Assert.Contains($"not drained: {id} (rev 1)", log.Text);
            var refused = await Assert.ThrowsAsync<CloudStateException>(() => new WorkerUpdater(session).UpdateAsync(default));
            Assert.Contains("has not drained", refused.Message);
        }
        Assert.Equal(0, Count(before, "ecs:UpdateService"));
        Assert.Equal(0, Count(before, "ecs:RegisterTaskDefinition"));
        var record = await NewestAsync(stack);
        Assert.Equal("draining", record.Phase);
        Assert.NotNull(record.LastTimeoutAt);
        Assert.Equal("pending", record.Tasks[id].State);
    }

    [Fact]
    public async Task Force_marks_undrained_tasks_forced_loudly_and_in_the_record()
    {
        var stack = await FleetAsync("ro3", 1);
        var id = (await TaskIdsAsync(stack)).Single();
        var log = new CapturedLog();
        await using var session = await RolloutSession.OpenAsync(cloud.Context(stack, log), Options(force: true), default);
        var record = (await new WorkerDrainer(session).DrainAsync(default))!;
        Assert.Contains("WARN FORCED: not waiting for 1 task(s)", log.Text);
        Assert.True(record.Forced);
        var stored = await NewestAsync(stack);
        Assert.True(stored.Forced);
        Assert.Equal("forced", stored.Tasks[id].State);
        Assert.Equal("drained", stored.Phase);
    }

    [Fact]
    public async Task Dry_run_lists_the_kill_messages_and_makes_no_mutating_call()
    {
        var stack = await FleetAsync("ro4", 2);
        var ids = await TaskIdsAsync(stack);
        var before = cloud.Server.Requests.Entries.Count;
        var log = new CapturedLog();
        await using (var session = await RolloutSession.OpenAsync(cloud.Context(stack, log, dryRun: true), Options(), default))
        {
            await new WorkerDrainer(session).DrainAsync(default);
        }
        Assert.Empty(cloud.MutationsSince(before));
        foreach (var id in ids) Assert.Contains($"would send a kill message to task {id} (rev 1), expiring", log.Text);
        Assert.Contains("dry run: 2 kill message(s) not sent", log.Text);
    }

    [Fact]
    public async Task A_second_rollout_is_refused_with_the_holder_and_a_dead_local_holders_lease_is_taken_over()
    {
        var stack = await FleetAsync("ro5", 1);
        var first = await RolloutSession.OpenAsync(cloud.Context(stack, new CapturedLog()), Options(), default);
        var e = await Assert.ThrowsAsync<CloudStateException>(() => RolloutSession.OpenAsync(cloud.Context(stack, new CapturedLog()), Options(pid: 1),
            default));
        Assert.Contains($"another rollout of stage ro5 is in progress: held by {Options().Holder} since", e.Message);
        Assert.Contains("lease expires in", e.Message);
        await first.DisposeAsync();

        // A holder on this host whose process is gone: taken over at once, and said so.
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        await gone.WaitForExitAsync();
        // Its renewal loop would outlive the test and write to the shared cloud (other tests count writes): it never renews.
        var dead = await RolloutSession.OpenAsync(cloud.Context(stack, new CapturedLog()), Options(pid: gone.Id) with { LeaseRenewal = TimeSpan.FromDays(1) },
            default);
        var dropped = dead.Lease!;
        // Leave its lease behind, as kill -9 would (no release).
        var log = new CapturedLog();
        await using var taker = await RolloutSession.OpenAsync(cloud.Context(stack, log), Options(), default);
        Assert.Contains($"took over the lease of stage ro5 from {Options(pid: gone.Id).Holder}", log.Text);
        GC.KeepAlive(dropped);
    }

    [Fact]
    public async Task Resume_of_a_drain_sends_no_second_kill_message_to_a_task_that_has_one_and_finishes_with_the_same_rollout()
    {
        var stack = await FleetAsync("ro6", 2);
        var ids = await TaskIdsAsync(stack);
        var log = new CapturedLog();
        await using var session = await RolloutSession.OpenAsync(cloud.Context(stack, log), Options(), default);
        var record = session.NewRecord("draining", DrainStrategy.KillAck);
        record.Tasks[ids[0]] = new TaskDrain { Revision = "iotile-worker-ro6:1", State = "acknowledged", KillMessageId = "m0", KillSentAt = DateTimeOffset.UtcNow, AckSource = "ack-record" };
        record.Tasks[ids[1]] = new TaskDrain { Revision = "iotile-worker-ro6:1", KillMessageId = "m1", KillSentAt = DateTimeOffset.UtcNow,
            KillExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10) };
        await session.SaveAsync(record, default);
        var before = cloud.Server.Requests.Entries.Count;
        var drain = new WorkerDrainer(session).DrainAsync(default);
        await AckAsync(stack, record.RolloutId, ids[1]);
        var drained = (await drain)!;
        Assert.Equal(record.RolloutId, drained.RolloutId);
        Assert.Equal("drained", drained.Phase);
        Assert.Contains($"resuming rollout {record.RolloutId} (phase draining", log.Text);
        Assert.Equal(0, Count(before, "sqs:SendMessageBatch"));
    }

    [Fact]
    public async Task Resume_of_an_update_whose_UpdateService_was_made_only_waits_and_a_rollback_in_progress_is_finished()
    {
        var stack = await FleetAsync("ro7", 1);
        var ecs = new EcsClient(cloud.Connection);
        var log = new CapturedLog();
        await using var session = await RolloutSession.OpenAsync(cloud.Context(stack, log), Options(), default);
        var from = (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = stack.Ecs.Cluster,
            Services = [stack.Ecs.Service] })).Services![0].TaskDefinition!;
        var provisioner = new EcsProvisioner(cloud.Context(stack, log));
        var to = (await provisioner.RegisterAsync(provisioner.ContainerDefinition(new WorkerImage("x:local-command", new Dictionary<string,
            string> { [LocalCommandImage.CommandLabel] = "[\"sleep\",\"600\"]" })), default)).TaskDefinitionArn!;
        await ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = stack.Ecs.Cluster, Service = stack.Ecs.Service, TaskDefinition = to,
            ForceNewDeployment = true });
        var record = session.NewRecord("updating", DrainStrategy.KillAck);
        record.FromTaskDefinition = from;
        record.ToTaskDefinition = to;
        record.UpdateCalledAt = DateTimeOffset.UtcNow;
        await session.SaveAsync(record, default);

        var before = cloud.Server.Requests.Entries.Count;
        var completed = (await new WorkerUpdater(session).UpdateAsync(default))!;
        Assert.Equal("completed", completed.Phase);
        Assert.Equal(record.RolloutId, completed.RolloutId);
        Assert.Equal(0, Count(before, "ecs:UpdateService"));
        Assert.Equal(0, Count(before, "ecs:RegisterTaskDefinition"));
        Assert.Contains("already deploys iotile-worker-ro7:2: waiting for it", log.Text);

        // A crash during the rollback of a later rollout: the next run finishes it.
        var back = session.NewRecord("rolling-back", DrainStrategy.KillAck);
        back.FromTaskDefinition = from;
        back.ToTaskDefinition = to;
        back.Cause = "2 task(s) crashed";
        await session.SaveAsync(back, default);
        var e = await Assert.ThrowsAsync<CloudStateException>(() => new WorkerUpdater(session).UpdateAsync(default));
        Assert.Equal("rolled back to iotile-worker-ro7:1: 2 task(s) crashed", e.Message);
        Assert.Equal("rolled-back", (await NewestAsync(stack)).Phase);
        var service = (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = stack.Ecs.Cluster,
            Services = [stack.Ecs.Service] })).Services![0];
        Assert.Equal(from, service.TaskDefinition);
    }
}
