using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws.Sqs;

namespace Ops.Worker.Tests;

/// <summary>
/// The Python drain worker (workers/python/drain_worker.py, written from docs/drain-protocol.md alone) run for real as a
/// child process against an in-process LocalCloud, with a fake ECS agent for its task metadata and task protection.
/// </summary>
public sealed class PythonWorkerTests(WorkerCloud cloud) : IClassFixture<WorkerCloud>
{
    static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [PythonWorkerFact]
    public async Task Sleep_and_fail_messages_are_processed_logged_and_the_good_ones_deleted()
    {
        var (queue, url, table) = await QueueAndTableAsync(visibilityTimeoutSeconds: 30);
        using var agent = NewAgent();
        using var worker = PythonWorker.Start(Environment(queue, table, agent));
        var sleeps = await cloud.SendAsync(url, Enumerable.Range(0, 5).Select(i => Sleep(10 * i)).ToList());
        var fail = (await cloud.SendAsync(url, ["""{"module":"ops.worker","class":"Fail","arguments":{"message":"disk full"}}"""]))[0];

        await WaitUntilAsync(async () => (await cloud.LogItemsAsync(table)).Count(i => i["status"].S is "done" or "error: disk full") == 6, worker);
        var items = await cloud.LogItemsAsync(table);
        var done = items.Where(i => i["status"].S == "done").ToList();
        Assert.Equal(sleeps.Order(), done.Select(i => i["message_id"].S).Order());
        Assert.All(done, i =>
        {
            Assert.Equal("ops.worker.Sleep", i["task"].S);
            Assert.Equal(agent.TaskId, i["server"].S);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000$", i["timestamp"].S);
            Assert.True(double.Parse(i["execution_time"].N, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        });
        var failed = Assert.Single(items, i => i["message_id"].S == fail);
        Assert.Equal("error: disk full", failed["status"].S);
        Assert.Equal(1, await cloud.CountAsync(url)); // the failed one stays for a retry

        worker.Signal("TERM");
        Assert.Equal(0, await worker.WaitForExit(Long));
        Assert.Contains("stopped: 5 done, 1 failed", worker.Out);
        Assert.Contains($"ops.worker.Fail {fail} error: disk full", worker.Out);
    }

    [PythonWorkerFact]
    public async Task Its_kill_message_while_busy_finishes_the_work_writes_ShutDown_0_and_the_ack_then_never_receives_again()
    {
        var (queue, url, table) = await QueueAndTableAsync(visibilityTimeoutSeconds: 30);
        var acks = await RolloutTableAsync();
        using var agent = NewAgent();
        using var worker = PythonWorker.Start(Environment(queue, table, agent));
        await worker.WaitForOutput("started:", Long);
        var busy = (await cloud.SendAsync(url, [Sleep(1500)]))[0];
        await WaitUntilAsync(async () => (await cloud.LogItemsAsync(table)).Any(i => i["status"].S == "executing"), worker);

        var rollout = "r-20261123T100000Z-1a2b3c";
        var kill = (await cloud.SendAsync(url, [Kill(rollout, agent.TaskId, agent.RevisionName, acks, DateTime.UtcNow, DateTime.UtcNow.AddMinutes(15))]))[0];
        var ack = await WaitForAckAsync(acks, rollout, agent.TaskId, worker);

        Assert.Equal(rollout, ack["rollout_id"].S);
        Assert.Equal(agent.TaskId, ack["task_id"].S);
        Assert.Equal(agent.TaskArn, ack["task_arn"].S);
        Assert.Equal(agent.RevisionName, ack["revision"].S);
        Assert.Equal(kill, ack["kill_message_id"].S);
        Assert.Equal("0", ack["finished"].N);
        Assert.True(DateTimeOffset.TryParse(ack["acked_at"].S, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _));

        var items = await cloud.LogItemsAsync(table);
        var work = Assert.Single(items, i => i["message_id"].S == busy);
        Assert.Equal("done", work["status"].S); // the message it held was finished first
        var shutDown = Assert.Single(items, i => i["status"].S == "ShutDown-0");
        Assert.Equal("apps.sqsworker.worker.WorkerShutDownAction", shutDown["task"].S);
        Assert.Equal(kill, shutDown["message_id"].S);
        Assert.Equal(agent.TaskId, shutDown["server"].S);
        Assert.Equal(ack["worker_uuid"].S, shutDown["worker_uuid"].S);
        Assert.Equal(rollout, (string?)JsonNode.Parse(shutDown["arguments"].S)!["rollout_id"]);
        Assert.True(string.CompareOrdinal(work["timestamp"].S, shutDown["timestamp"].S) < 0);
        // The rollout finds it through the GSI.
        var indexed = await cloud.Dynamo.QueryAsync(new QueryRequest
        {
            TableName = table,
            IndexName = "task-index",
            KeyConditionExpression = "#t = :t",
            ExpressionAttributeNames = new() { ["#t"] = "task" },
            ExpressionAttributeValues = new() { [":t"] = new AttributeValue { S = "apps.sqsworker.worker.WorkerShutDownAction" } },
        });
        Assert.Single(indexed.Items!);

        await WaitUntilAsync(async () => await cloud.CountAsync(url) == 0, worker); // the kill message is deleted
        // Drained: later work is left alone (a few of its 1 s polls pass; the messages stay visible and unlogged).
        var later = await cloud.SendAsync(url, [Sleep(0), Sleep(0), Sleep(0)]);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(3, await cloud.CountAsync(url));
        Assert.DoesNotContain(await cloud.LogItemsAsync(table), i => later.Contains(i["message_id"].S));
        var visible = await cloud.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
        Assert.Equal(later.Order(), visible.Messages!.Select(m => m.MessageId!).Order()); // never even received (still visible)

        worker.Signal("TERM");
        Assert.Equal(0, await worker.WaitForExit(Long));
        Assert.Contains("drained", worker.Out);
    }

    [PythonWorkerFact]
    public async Task A_kill_message_for_another_task_or_revision_is_put_back_and_the_worker_keeps_working()
    {
        var (queue, url, table) = await QueueAndTableAsync(visibilityTimeoutSeconds: 30);
        var acks = await RolloutTableAsync();
        using var agent = NewAgent();
        using var worker = PythonWorker.Start(Environment(queue, table, agent));
        await worker.WaitForOutput("started:", Long);
        var rollout = "r-20261123T100000Z-abcdef";
        var expires = DateTime.UtcNow.AddMinutes(15);
        var kills = await cloud.SendAsync(url,
        [
            Kill(rollout, "0123456789abcdef0123456789abcdef", agent.RevisionName, acks, DateTime.UtcNow, expires),
            Kill(rollout, agent.TaskId, agent.Family + ":" + (agent.Revision + 1), acks, DateTime.UtcNow, expires),
        ]);
        // Both circulate through this worker (put back each time) while it keeps doing the work around them.
        await WaitUntilAsync(() => Task.FromResult(kills.All(k => worker.Out.Contains($"kill message {k} ") && worker.Out.Contains("put back"))), worker);
        var work = await cloud.SendAsync(url, [Sleep(0), Sleep(0), Sleep(0)]);
        await WaitUntilAsync(async () => (await cloud.LogItemsAsync(table)).Count(i => i["status"].S == "done") == 3, worker);

        worker.Signal("TERM");
        Assert.Equal(0, await worker.WaitForExit(Long));
        Assert.Contains("stopped: 3 done, 0 failed", worker.Out);
        var items = await cloud.LogItemsAsync(table);
        Assert.Equal(work.Order(), items.Select(i => i["message_id"].S).Order()); // nothing recorded for the kill messages
        Assert.Empty((await cloud.Dynamo.ScanAsync(new ScanRequest { TableName = acks })).Items ?? []);
        // Neither deleted; put back: received again and again well within the queue's 30 s visibility timeout (hidden at
        // most 8 s by a worker it keeps coming back to). A signal cancels an idle long poll, so the one message that poll
        // may have taken stays invisible for 30 s.
        Assert.Equal(2, await cloud.CountAsync(url));
        var visible = await cloud.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 12,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"] });
        Assert.NotEmpty(visible.Messages!);
        Assert.All(visible.Messages!, m =>
        {
            Assert.Contains(m.MessageId!, kills);
            Assert.True(int.Parse(m.Attributes!["ApproximateReceiveCount"]) >= 2, $"{m.MessageId} received {m.Attributes!["ApproximateReceiveCount"]} times");
        });
    }

    [PythonWorkerFact]
    public async Task Expired_and_stale_kill_messages_are_deleted_and_the_worker_keeps_working()
    {
        var (queue, url, table) = await QueueAndTableAsync(visibilityTimeoutSeconds: 30);
        var acks = await RolloutTableAsync();
        using var agent = NewAgent();
        using var worker = PythonWorker.Start(Environment(queue, table, agent));
        await worker.WaitForOutput("started:", Long);
        var now = DateTime.UtcNow;
        var kills = await cloud.SendAsync(url,
        [
            // Rule 1: its own, but expired.
            Kill("r-20261123T100000Z-000001", agent.TaskId, agent.RevisionName, acks, now.AddMinutes(-20), now.AddMinutes(-5)),
            // Rule 3: its own, sent before the worker started.
            Kill("r-20261123T100000Z-000002", agent.TaskId, agent.RevisionName, acks, now.AddMinutes(-10), now.AddMinutes(5)),
            // Rule 2: the old invoke task's shape, sent before the worker started.
            $$$"""{"module":"apps.sqsworker.worker","class":"WorkerShutDownAction","arguments":{"timestamp":"{{{now.AddMinutes(-10):yyyy-MM-ddTHH:mm:ss.ffffff}}}+00:00"}}""",
        ]);
        await WaitUntilAsync(async () => await cloud.CountAsync(url) == 0, worker);
        var work = (await cloud.SendAsync(url, [Sleep(0)]))[0];
        await WaitUntilAsync(async () => (await cloud.LogItemsAsync(table)).Any(i => i["message_id"].S == work && i["status"].S == "done"), worker);

        worker.Signal("TERM");
        Assert.Equal(0, await worker.WaitForExit(Long));
        Assert.Contains($"kill message {kills[0]} ", worker.Out);
        Assert.Contains("expired", worker.Out);
        Assert.DoesNotContain(await cloud.LogItemsAsync(table), i => i["status"].S == "ShutDown-0");
        Assert.Empty((await cloud.Dynamo.ScanAsync(new ScanRequest { TableName = acks })).Items ?? []);
    }

    [PythonWorkerFact]
    public async Task With_task_protection_it_is_protected_while_busy_and_unprotected_when_idle()
    {
        var (queue, url, table) = await QueueAndTableAsync(visibilityTimeoutSeconds: 90);
        using var agent = NewAgent();
        agent.FailNext = 1; // the first call fails: logged, retried once
        using var worker = PythonWorker.Start(Environment(queue, table, agent, drain: "task-protection"));
        await worker.WaitForOutput("started:", Long);
        Assert.False(agent.Protected);
        Assert.Empty(agent.Calls); // idle: no call at all

        var busy = (await cloud.SendAsync(url, [Sleep(2000)]))[0];
        await WaitUntilAsync(async () => (await cloud.LogItemsAsync(table)).Any(i => i["status"].S == "executing"), worker);
        Assert.True(agent.Protected); // protected before the work began
        await WaitUntilAsync(async () => (await cloud.LogItemsAsync(table)).Any(i => i["message_id"].S == busy && i["status"].S == "done"), worker);
        await WaitUntilAsync(() => Task.FromResult(worker.Out.Contains("task protection off")), worker);
        Assert.False(agent.Protected);

        worker.Signal("TERM");
        Assert.Equal(0, await worker.WaitForExit(Long));
        var calls = agent.Calls;
        Assert.Equal(3, calls.Count);
        Assert.True(calls[0].Failed);
        Assert.Equal((true, 2), (calls[1].Enabled, calls[1].Minutes)); // 90 s visibility timeout → 2 minutes
        Assert.False(calls[2].Enabled);
        Assert.Contains("task protection on failed (503 ServerException: the agent is busy); retrying once", worker.Err);
    }

    [PythonWorkerFact]
    public async Task SIGTERM_while_busy_finishes_the_message_and_exits_0()
    {
        var (queue, url, table) = await QueueAndTableAsync(visibilityTimeoutSeconds: 30);
        using var agent = NewAgent();
        using var worker = PythonWorker.Start(Environment(queue, table, agent));
        var busy = (await cloud.SendAsync(url, [Sleep(2000)]))[0];
        await WaitUntilAsync(async () => (await cloud.LogItemsAsync(table)).Any(i => i["status"].S == "executing"), worker);

        worker.Signal("TERM");
        Assert.Equal(0, await worker.WaitForExit(Long));
        Assert.Equal("done", Assert.Single(await cloud.LogItemsAsync(table))["status"].S);
        Assert.Equal(0, await cloud.CountAsync(url));
        Assert.Contains($"ops.worker.Sleep {busy} done", worker.Out);
    }

    [PythonWorkerFact]
    public async Task Bad_settings_and_a_missing_queue_are_one_line_on_stderr_and_exit_2()
    {
        var (queue, _, table) = await QueueAndTableAsync(visibilityTimeoutSeconds: 30);
        using var agent = NewAgent();
        foreach (var (overrides, expected) in new (Dictionary<string, string?>, string)[]
        {
            (new() { ["OPS_WORK_QUEUE"] = null }, "OPS_WORK_QUEUE is not set"),
            (new() { ["OPS_DRAIN"] = "drain-now" }, "OPS_DRAIN is 'drain-now'; set it to kill-ack or task-protection"),
            (new() { ["OPS_WORK_QUEUE"] = "no-such-queue" }, "the work queue no-such-queue does not exist"),
            (new() { ["OPS_WORKER_LOG_TABLE"] = "no-such-table" }, "the worker-log table no-such-table does not exist"),
        })
        {
            var env = Environment(queue, table, agent);
            foreach (var (k, v) in overrides)
                if (v == null) env.Remove(k);
                else env[k] = v;
            using var worker = PythonWorker.Start(env);
            Assert.Equal(2, await worker.WaitForExit(Long));
            var line = Assert.Single(worker.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line);
            Assert.DoesNotContain("Traceback", worker.Err);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static FakeEcsAgent NewAgent() => new($"arn:aws:ecs:us-east-1:123456789012:task/iotile-test/{Guid.NewGuid():N}", "iotile-worker-test", 7);

    Dictionary<string, string> Environment(string queue, string table, FakeEcsAgent agent, string drain = "kill-ack") =>
        cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["OPS_WAIT_SECONDS"] = "1",
            ["OPS_DRAIN"] = drain,
            ["ECS_CONTAINER_METADATA_URI_V4"] = agent.MetadataUri,
            ["ECS_AGENT_URI"] = agent.AgentUri,
        });

    async Task<(string Queue, string Url, string Table)> QueueAndTableAsync(int visibilityTimeoutSeconds)
    {
        var queue = WorkerCloud.Unique("pyw");
        var table = WorkerCloud.Unique("pyw-log");
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds, maxReceiveCount: 1000);
        await cloud.CreateLogTableAsync(table);
        return (queue, url, table);
    }

    /// <summary>The stage's rollout table as the rollout creates it (hash pk, range sk).</summary>
    async Task<string> RolloutTableAsync()
    {
        var name = WorkerCloud.Unique("pyw-rollouts");
        await cloud.Dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
        });
        return name;
    }

    async Task<Dictionary<string, AttributeValue>> WaitForAckAsync(string table, string rollout, string taskId, ChildProcess worker)
    {
        Dictionary<string, AttributeValue>? item = null;
        await WaitUntilAsync(async () =>
        {
            var got = await cloud.Dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = table,
                Key = new() { ["pk"] = new AttributeValue { S = "ack#" + rollout }, ["sk"] = new AttributeValue { S = taskId } },
            });
            item = got.Item is { Count: > 0 } found ? found : null;
            return item != null;
        }, worker);
        return item!;
    }

    static string Sleep(int ms) => $$$"""{"module":"ops.worker","class":"Sleep","arguments":{"ms":{{{ms}}}}}""";

    /// <summary>A kill message exactly as docs/drain-protocol.md shows it.</summary>
    static string Kill(string rollout, string task, string revision, string ackTable, DateTime sent, DateTime expires) => new JsonObject
    {
        ["module"] = "apps.sqsworker.worker",
        ["class"] = "WorkerShutDownAction",
        ["arguments"] = new JsonObject
        {
            ["timestamp"] = sent.ToString("yyyy-MM-ddTHH:mm:ss.ffffff") + "+00:00",
            ["rollout_id"] = rollout,
            ["target_task"] = task,
            ["target_revision"] = revision,
            ["expires_at"] = expires.ToString("yyyy-MM-ddTHH:mm:ss.ffffff") + "+00:00",
            ["ack_table"] = ackTable,
        },
    }.ToJsonString();

    /// <summary>Polls until <paramref name="condition"/> holds; fails with the worker's output after a minute.</summary>
    static async Task WaitUntilAsync(Func<Task<bool>> condition, ChildProcess worker)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"the condition never held.\nstdout:\n{worker.Out}\nstderr:\n{worker.Err}");
            await Task.Delay(100);
        }
    }
}
