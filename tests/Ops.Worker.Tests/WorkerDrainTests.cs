using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ops.Aws.Sqs;
using Ops.LocalCloud.Diagnostics;

namespace Ops.Worker.Tests;

/// <summary>The real worker process answering the drain protocol (docs/drain-protocol.md) against LocalCloud: kill messages, acknowledgements, task
/// protection.</summary>
public sealed class WorkerDrainTests(WorkerCloud cloud) : IClassFixture<WorkerCloud>
{
    const string TaskId = "0f3c6d2e9a8b4c1d9e7f6a5b4c3d2e1f";
    const string TaskArn = "arn:aws:ecs:us-east-1:123456789012:task/iotile-dev/" + TaskId;
    const string Revision = "iotile-worker-dev:7";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    static string Sleep(int ms) => "{\"module\":\"ops.worker\",\"class\":\"Sleep\",\"arguments\":{\"ms\":" + ms + "}}";

    static string RolloutId() => $"r-{DateTime.UtcNow:yyyyMMddTHHmmssZ}-{Guid.NewGuid():N}"[..25];

    static async Task Eventually(Func<Task<bool>> condition, string what, ChildProcess worker)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"{what} never happened.\nstdout:\n{worker.Out}\nstderr:\n{worker.Err}");
            await Task.Delay(100);
        }
    }

    static async Task<int> Stop(ChildProcess worker)
    {
        worker.Signal("TERM");
        return await worker.WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>Over a few seconds, the messages stay visible on the queue: nobody receives them.</summary>
    async Task AssertNeverReceived(string url, int count, ChildProcess worker)
    {
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(500);
            Assert.True((count, 0) == await cloud.CountsAsync(url), $"a drained worker took work.\nstdout:\n{worker.Out}");
        }
    }

    [Fact]
    public async Task A_kill_message_while_busy_finishes_every_message_then_acknowledges_and_never_receives_again()
    {
        var (queue, table, rollouts) = (WorkerCloud.Unique("drain"), WorkerCloud.Unique("log"), WorkerCloud.Unique("rollouts"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 5);
        await cloud.CreateLogTableAsync(table);
        await cloud.CreateRolloutTableAsync(rollouts);
        using var metadata = new FakeEcsAgent(TaskArn);
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["ECS_CONTAINER_METADATA_URI_V4"] = metadata.MetadataUri,
            ["OPS_WORKER_CONCURRENCY"] = "4",
            ["OPS_WAIT_SECONDS"] = "1",
        }));
        await worker.WaitForOutput($"worker {TaskId} started", Patience);
        Assert.Contains($"revision {Revision}, drain kill-ack", worker.Out);

        var work = await cloud.SendAsync(url, [Sleep(3000), Sleep(3000), Sleep(3000)]);
        await Eventually(async () => (await cloud.LogItemsAsync(table)).Count(i => i["status"].S == "executing") == 3, "three messages executing", worker);
        var rollout = RolloutId();
        var body = WorkerCloud.KillBody(DateTimeOffset.UtcNow, rollout, TaskId, Revision, DateTimeOffset.UtcNow.AddMinutes(15), rollouts);
        var kill = (await cloud.SendAsync(url, [body]))[0];
        await worker.WaitForOutput($"drain: acknowledged rollout {rollout} after", Patience);

        var stdout = worker.Out;
        Assert.Contains($"drain: kill message {kill} for {TaskId} (rollout {rollout}) — finishing 3 message(s)", stdout);
        var acknowledged = stdout.IndexOf("drain: acknowledged", StringComparison.Ordinal);
        Assert.All(work, id => Assert.InRange(stdout.IndexOf($"ops.worker.Sleep {id} done in", StringComparison.Ordinal), 0, acknowledged));
        Assert.Contains("(3 message(s) finished); idle until stopped", stdout);

        var items = await cloud.LogItemsAsync(table);
        Assert.Equal(4, items.Count); // three done, one ShutDown-0: the kill message has no item of its own
        var shutdown = Assert.Single(items, i => i["task"].S == "apps.sqsworker.worker.WorkerShutDownAction");
        Assert.Equal("ShutDown-0", shutdown["status"].S);
        Assert.Equal(kill, shutdown["message_id"].S);
        Assert.Equal(TaskId, shutdown["server"].S);
        Assert.Equal(JsonNode.Parse(body)!["arguments"]!.ToJsonString(), JsonNode.Parse(shutdown["arguments"].S)!.ToJsonString());
        Assert.True(double.Parse(shutdown["execution_time"].N, CultureInfo.InvariantCulture) >= 2.0, "the drain waited for the three 3 s messages");
        Assert.All(items.Where(i => i != shutdown), i => Assert.True(string.CompareOrdinal(i["timestamp"].S, shutdown["timestamp"].S) < 0));

        var ack = await cloud.AckAsync(rollouts, rollout, TaskId);
        Assert.NotNull(ack);
        Assert.Equal((rollout, TaskId, TaskArn, Revision, kill, "3"),
            (ack["rollout_id"].S, ack["task_id"].S, ack["task_arn"].S, ack["revision"].S, ack["kill_message_id"].S, ack["finished"].N));
        Assert.Equal(shutdown["worker_uuid"].S, ack["worker_uuid"].S);
        Assert.True(DateTimeOffset.TryParseExact(ack["acked_at"].S, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), ack["acked_at"].S);
        Assert.Equal((0, 0), await cloud.CountsAsync(url)); // the kill message and the work deleted

        // Drained: work sent now stays on the queue, whatever the wait.
        await cloud.SendAsync(url, [Sleep(1), Sleep(1), Sleep(1)]);
        await AssertNeverReceived(url, 3, worker);

        Assert.Equal(0, await Stop(worker));
        Assert.Contains($"worker {TaskId} stopped: 3 done, 0 failed (drained)", worker.Out);
        Assert.Equal((3, 0), await cloud.CountsAsync(url));
    }

    [Fact]
    public async Task Expired_stale_and_other_task_or_revision_kill_messages_are_ignored_and_the_worker_keeps_working()
    {
        var (queue, table, rollouts) = (WorkerCloud.Unique("ignore"), WorkerCloud.Unique("log"), WorkerCloud.Unique("rollouts"));
        // A put-back message comes straight back to the only worker, which puts it back again: each receive counts towards the redrive.
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 1000);
        await cloud.CreateLogTableAsync(table);
        await cloud.CreateRolloutTableAsync(rollouts);
        using var metadata = new FakeEcsAgent(TaskArn);
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["ECS_CONTAINER_METADATA_URI_V4"] = metadata.MetadataUri,
            ["OPS_WAIT_SECONDS"] = "1",
        }));
        await worker.WaitForOutput($"worker {TaskId} started", Patience);
        var (now, later, rollout) = (DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(15), RolloutId());
        var expired = await cloud.SendAsync(url, [WorkerCloud.KillBody(now.AddMinutes(-20), rollout, TaskId, Revision, now.AddMinutes(-5), rollouts)]);
        var otherTask = await cloud.SendAsync(url, [WorkerCloud.KillBody(now, rollout, "1a2b3c4d5e6f", Revision, later, rollouts)]);
        var otherRevision = await cloud.SendAsync(url, [WorkerCloud.KillBody(now, rollout, TaskId, "iotile-worker-dev:6", later, rollouts)]);
        var staleOther = await cloud.SendAsync(url, [WorkerCloud.KillBody(now.AddHours(-1), rollout, "1a2b3c4d5e6f", Revision, later, rollouts)]);
        var staleMine = await cloud.SendAsync(url, [WorkerCloud.KillBody(now.AddHours(-1), rollout, TaskId, Revision, later, rollouts)]);
        var oldShape = await cloud.SendAsync(url, ["""{"module":"apps.sqsworker.worker","class":"WorkerShutDownAction","arguments":{"timestamp":"2020-01-01T00:00:00.000000"}}"""]);
        var work = await cloud.SendAsync(url, [Sleep(1), Sleep(1), Sleep(1)]);

        await Eventually(() => Task.FromResult(work.All(id => worker.Out.Contains($"ops.worker.Sleep {id} done in"))), "the work", worker);
        await Eventually(() => Task.FromResult(new[] { expired, otherTask, otherRevision, staleOther, staleMine, oldShape }
            .All(ids => worker.Out.Contains($"ignored kill message {ids[0]}"))), "every kill message ignored", worker);
        Assert.Contains($"ignored kill message {expired[0]} (rollout {rollout}, expired at", worker.Out);
        Assert.Contains($"ignored kill message {otherTask[0]} (rollout {rollout} for task 1a2b3c4d5e6f at {Revision}, put back)", worker.Out);
        Assert.Contains($"ignored kill message {otherRevision[0]} (rollout {rollout} for task {TaskId} at iotile-worker-dev:6, put back)", worker.Out);
        Assert.Contains($"ignored kill message {staleOther[0]} (rollout {rollout} for task 1a2b3c4d5e6f at {Revision}, sent before this worker started; put back)", worker.Out);
        Assert.Contains($"ignored kill message {staleMine[0]} (rollout {rollout} for task {TaskId} at {Revision}, sent", worker.Out);
        Assert.Contains($"ignored kill message {oldShape[0]} (old-style, sent 2020-01-01T00:00:00.0000000+00:00, before this worker started; deleted)", worker.Out);
        Assert.DoesNotContain("drain:", worker.Out);

        // Still working after circulating the put-back ones many times.
        var more = await cloud.SendAsync(url, [Sleep(1)]);
        await Eventually(() => Task.FromResult(worker.Out.Contains($"ops.worker.Sleep {more[0]} done in")), "work after the kill messages", worker);
        Assert.Equal(0, await Stop(worker));
        Assert.Contains("stopped: 4 done, 0 failed", worker.Out);
        Assert.DoesNotContain("(drained)", worker.Out);

        // No worker-log item for any kill message; the put-back ones are visible again, the others deleted.
        Assert.All(await cloud.LogItemsAsync(table), i => Assert.Equal("ops.worker.Sleep", i["task"].S));
        Assert.Null(await cloud.AckAsync(rollouts, rollout, TaskId));
        // The put-back ones were visible again at once (received again and again within seconds, not once per 30 s visibility
        // timeout) and are all still on the work queue, none on its dead-letter queue.
        // The SIGTERM may cancel a long poll the server already answered: that message is in flight until its visibility
        // timeout, so it is counted, not received. Ids may differ: a message put back near its dead-letter limit is sent
        // again as a copy (the next test).
        var counts = await cloud.CountsAsync(url);
        Assert.Equal(3, counts.Visible + counts.InFlight);
        var dead = await cloud.CountsAsync(url + "-dlq");
        Assert.Equal(0, dead.Visible + dead.InFlight);
        var left = (await cloud.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 })).Messages
            ?? [];
        Assert.InRange(left.Count, counts.Visible, 3); // one hidden for a few seconds after a repeated put-back may show up meanwhile
        Assert.All(left, m => Assert.True(m.Body!.Contains("\"target_task\":\"1a2b3c4d5e6f\"") || m.Body.Contains("\"target_revision\":\"iotile-worker-dev:6\""), m.Body));
    }

    [Fact]
    public async Task A_kill_message_put_back_near_the_dead_letter_limit_is_sent_again_as_a_copy_and_never_reaches_the_dead_letter_queue()
    {
        var (queue, table, rollouts) = (WorkerCloud.Unique("copy"), WorkerCloud.Unique("log"), WorkerCloud.Unique("rollouts"));
        // maxReceiveCount 3: without the copy, the only worker's own put-backs would move the message to the dead-letter queue at once.
        var (url, dlq) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 3);
        await cloud.CreateLogTableAsync(table);
        await cloud.CreateRolloutTableAsync(rollouts);
        using var metadata = new FakeEcsAgent(TaskArn);
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["ECS_CONTAINER_METADATA_URI_V4"] = metadata.MetadataUri,
            ["OPS_WAIT_SECONDS"] = "1",
        }));
        await worker.WaitForOutput($"worker {TaskId} started", Patience);
        var now = DateTimeOffset.UtcNow;
        var body = WorkerCloud.KillBody(now, RolloutId(), "1a2b3c4d5e6f", Revision, now.AddMinutes(15), rollouts);
        await cloud.SendAsync(url, [body]);

        await Eventually(() => Task.FromResult(worker.Out.Split("sent as a fresh copy").Length > 3), "three copies sent", worker);
        Assert.Equal(0, await Stop(worker));
        var dead = await cloud.CountsAsync(dlq);
        Assert.Equal(0, dead.Visible + dead.InFlight);
        // One message left (in flight when the SIGTERM cancelled a long poll the server had already answered), the same body.
        // A copy is sent with the put-back's hiding delay, so it may still be delayed.
        var counts = await cloud.CountsAsync(url);
        var delayed = int.Parse((await cloud.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = url,
            AttributeNames = ["ApproximateNumberOfMessagesDelayed"],
        })).Attributes!["ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal(1, counts.Visible + counts.InFlight + delayed);
        var left = (await cloud.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 })).Messages
            ?? [];
        Assert.All(left, m => Assert.Equal(body, m.Body));
    }

    [Fact]
    public async Task An_old_style_kill_message_sent_after_the_worker_started_drains_it_with_the_worker_log_item_only()
    {
        var (queue, table) = (WorkerCloud.Unique("old"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 5);
        await cloud.CreateLogTableAsync(table);
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?> { ["OPS_WAIT_SECONDS"] = "1" }));
        await worker.WaitForOutput("started", Patience);
        // As the old invoke task wrote it: datetime.utcnow().isoformat(), no offset, no new fields.
        var timestamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var kill = (await cloud.SendAsync(url, ["{\"module\":\"apps.sqsworker.worker\",\"class\":\"WorkerShutDownAction\",\"arguments\":{\"timestamp\":\"" + timestamp + "\"}}"]))[0];
        await worker.WaitForOutput("drain: recorded ShutDown-0 for the old-style, no rollout id kill message after", Patience);

        var item = Assert.Single(await cloud.LogItemsAsync(table));
        Assert.Equal(("ShutDown-0", kill, System.Net.Dns.GetHostName()), (item["status"].S, item["message_id"].S, item["server"].S));
        Assert.Equal((0, 0), await cloud.CountsAsync(url));
        await cloud.SendAsync(url, [Sleep(1)]);
        await AssertNeverReceived(url, 1, worker);
        Assert.Equal(0, await Stop(worker));
    }

    [Fact]
    public async Task The_acknowledgement_is_retried_until_it_is_written_and_the_kill_message_is_deleted_only_then()
    {
        var (queue, table, rollouts) = (WorkerCloud.Unique("retry"), WorkerCloud.Unique("log"), WorkerCloud.Unique("rollouts"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 5);
        await cloud.CreateLogTableAsync(table);
        using var metadata = new FakeEcsAgent(TaskArn);
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["ECS_CONTAINER_METADATA_URI_V4"] = metadata.MetadataUri,
            ["OPS_WAIT_SECONDS"] = "1",
        }));
        await worker.WaitForOutput($"worker {TaskId} started", Patience);
        var rollout = RolloutId();
        // The rollout table does not exist yet: every PutItem of the acknowledgement fails until it does.
        var kill = (await cloud.SendAsync(url,
            [WorkerCloud.KillBody(DateTimeOffset.UtcNow, rollout, TaskId, Revision, DateTimeOffset.UtcNow.AddMinutes(15), rollouts)]))[0];
        await Eventually(() => Task.FromResult(Regex.Matches(worker.Err, $"drain: could not write the acknowledgement to {rollouts} \\(400 ResourceNotFoundException").Count >= 2),
            "two failed acknowledgements", worker);
        Assert.Equal((0, 1), await cloud.CountsAsync(url)); // the kill message is still held, not deleted

        var rule = new FaultRule { Service = "dynamodb", Operation = "PutItem", ServerError = 500, Times = 3 };
        cloud.Server.Faults.Add(rule);
        try
        {
            await cloud.CreateRolloutTableAsync(rollouts);
            await worker.WaitForOutput($"drain: acknowledged rollout {rollout} after", Patience);
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
        Assert.Matches($"drain: acknowledgement written to {rollouts} on attempt \\d+", worker.Out);
        Assert.Equal(kill, (await cloud.AckAsync(rollouts, rollout, TaskId))!["kill_message_id"].S);
        Assert.Equal((0, 0), await cloud.CountsAsync(url));
        Assert.Equal(0, await Stop(worker));
    }

    [Fact]
    public async Task With_task_protection_the_worker_is_protected_while_it_holds_messages_and_unprotected_when_idle()
    {
        var (queue, table) = (WorkerCloud.Unique("protect"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 90, maxReceiveCount: 5);
        await cloud.CreateLogTableAsync(table);
        using var agent = new FakeEcsAgent(TaskArn) { FailNext = 1 };
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["ECS_CONTAINER_METADATA_URI_V4"] = agent.MetadataUri,
            ["ECS_AGENT_URI"] = agent.AgentUri,
            ["OPS_DRAIN"] = "task-protection",
            ["OPS_WORKER_CONCURRENCY"] = "2",
            ["OPS_WAIT_SECONDS"] = "1",
        }));
        await worker.WaitForOutput($"worker {TaskId} started", Patience);
        Assert.Contains("drain task-protection (expires in 2 min)", worker.Out);
        await Task.Delay(1500);
        Assert.Empty(agent.Calls); // idle from the start: nothing to protect

        var work = await cloud.SendAsync(url, [Sleep(2500), Sleep(2500)]);
        await Eventually(async () => (await cloud.LogItemsAsync(table)).Count(i => i["status"].S == "executing") == 2, "both messages executing", worker);
        Assert.True(agent.Protected, $"not protected while working.\n{worker.Out}\n{worker.Err}");
        await Eventually(() => Task.FromResult(work.All(id => worker.Out.Contains($"ops.worker.Sleep {id} done in"))), "the work", worker);
        await Eventually(() => Task.FromResult(!agent.Protected), "protection off", worker);
        var puts = agent.Calls;
        await Task.Delay(1500);
        Assert.Equal(puts.Count, agent.Calls.Count); // idle again: no more calls

        // The first PUT failed (503) and was retried once; on and off then alternate, counted across both loops.
        Assert.Equal((true, 2, true), (puts[0].Enabled, puts[0].Minutes, puts[0].Failed));
        Assert.Equal((true, 2, false), (puts[1].Enabled, puts[1].Minutes, puts[1].Failed));
        Assert.Equal((false, (int?)null, false), (puts[^1].Enabled, puts[^1].Minutes, puts[^1].Failed));
        for (var i = 2; i < puts.Count; i++) Assert.NotEqual(puts[i - 1].Enabled, puts[i].Enabled);
        Assert.Contains("task protection on failed (503 ServerException: the agent is busy); retrying once", worker.Err);
        Assert.Contains("task protection on (expires in 2 min)", worker.Out);
        Assert.Contains("task protection off", worker.Out);
        Assert.Equal(0, await Stop(worker));
    }

    [Fact]
    public async Task With_kill_ack_no_protection_call_is_made_even_on_ECS()
    {
        var (queue, table) = (WorkerCloud.Unique("noprot"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 5);
        await cloud.CreateLogTableAsync(table);
        using var agent = new FakeEcsAgent(TaskArn);
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["ECS_CONTAINER_METADATA_URI_V4"] = agent.MetadataUri,
            ["ECS_AGENT_URI"] = agent.AgentUri,
            ["OPS_WAIT_SECONDS"] = "1",
        }));
        var work = await cloud.SendAsync(url, [Sleep(200)]);
        await Eventually(() => Task.FromResult(worker.Out.Contains($"ops.worker.Sleep {work[0]} done in")), "the work", worker);
        Assert.Equal(0, await Stop(worker));
        Assert.Empty(agent.Calls);
    }

    [Fact]
    public async Task A_bad_OPS_DRAIN_is_named_in_one_line_and_exits_2()
    {
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment("unused", "unused-table", new Dictionary<string, string?> { ["OPS_DRAIN"] = "protection" }));
        Assert.Equal(2, await worker.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal("ops-worker: OPS_DRAIN 'protection' is not a drain strategy; set it to kill-ack or task-protection (the stack's worker.drain), or unset it (default kill-ack).",
            worker.Err.Trim());
        Assert.Equal("", worker.Out.Trim());
    }
}
