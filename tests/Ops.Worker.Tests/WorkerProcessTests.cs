using System.Text.RegularExpressions;
using Ops.Aws.Sqs;
using Ops.LocalCloud.Diagnostics;

namespace Ops.Worker.Tests;

/// <summary>The real worker process against LocalCloud: what it consumes, logs, deletes and leaves, and how it stops.</summary>
public sealed class WorkerProcessTests(WorkerCloud cloud) : IClassFixture<WorkerCloud>
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    static string Sleep(int ms) => "{\"module\":\"ops.worker\",\"class\":\"Sleep\",\"arguments\":{\"ms\":" + ms + "}}";

    /// <summary>Waits until the worker's stdout has a "done" line for every id (or fails naming what is missing).</summary>
    static async Task WaitForDone(ChildProcess worker, IReadOnlyCollection<string> ids)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var done = DoneIds(worker.Out);
            if (ids.All(done.Contains)) return;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"{ids.Count(i => !done.Contains(i))} of {ids.Count} messages never done.\nstdout:\n{worker.Out}\nstderr:\n{worker.Err}");
            await Task.Delay(100);
        }
    }

    static HashSet<string> DoneIds(string stdout) =>
        Regex.Matches(stdout, @" ops\.worker\.Sleep (\S+) done in \d+ ms").Select(m => m.Groups[1].Value).ToHashSet();

    static async Task<int> Stop(ChildProcess worker)
    {
        worker.Signal("TERM");
        return await worker.WaitForExit(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Fifty_sleep_messages_are_each_processed_once_logged_and_deleted()
    {
        var (queue, table) = (WorkerCloud.Unique("work"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 3);
        await cloud.CreateLogTableAsync(table);
        var sent = await cloud.SendAsync(url, Enumerable.Range(0, 50).Select(i => Sleep(i % 7)).ToList());

        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?> { ["OPS_WORKER_CONCURRENCY"] = "3" }));
        await WaitForDone(worker, sent);
        Assert.Equal(0, await Stop(worker));

        var items = await cloud.LogItemsAsync(table);
        var byMessage = items.GroupBy(i => i["message_id"].S).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(sent.Order(), byMessage.Keys.Order());
        Assert.Equal(0, byMessage.Values.Sum() - sent.Count); // duplicates
        Assert.All(items, i =>
        {
            Assert.Equal("done", i["status"].S);
            Assert.Equal("ops.worker.Sleep", i["task"].S);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000$", i["timestamp"].S);
            Assert.Equal(System.Net.Dns.GetHostName(), i["server"].S);
            Assert.True(double.Parse(i["execution_time"].N, System.Globalization.CultureInfo.InvariantCulture) >= 0);
            Assert.StartsWith("{\"ms\":", i["arguments"].S);
        });
        Assert.Single(items.Select(i => i["worker_uuid"].S).Distinct());
        Assert.Equal(0, await cloud.CountAsync(url));
        Assert.Contains($"stage test, queue {queue}", worker.Out);
        Assert.Contains("50 done, 0 failed", worker.Out);
        Assert.DoesNotContain("test:", worker.Out + worker.Err); // no secret key near an access key
    }

    [Fact]
    public async Task A_failing_message_is_left_on_the_queue_and_reaches_the_dead_letter_queue()
    {
        var (queue, table) = (WorkerCloud.Unique("fail"), WorkerCloud.Unique("log"));
        var (url, dlq) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 1, maxReceiveCount: 2);
        await cloud.CreateLogTableAsync(table);
        var failing = await cloud.SendAsync(url, ["""{"module":"ops.worker","class":"Fail","arguments":{"message":"disk full"}}"""]);
        var garbage = await cloud.SendAsync(url, ["this is not json"]);
        var unknown = await cloud.SendAsync(url, ["""{"module":"apps.streamer","class":"Resample","arguments":{}}"""]);

        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?> { ["OPS_WAIT_SECONDS"] = "1" }));
        var moved = new List<Message>();
        var deadline = DateTime.UtcNow + Patience;
        while (moved.Count < 3 && DateTime.UtcNow < deadline)
            moved.AddRange((await cloud.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = dlq, WaitTimeSeconds = 1,
                MaxNumberOfMessages = 10 })).Messages ?? []);
        Assert.Equal(0, await Stop(worker));

        Assert.Equal(failing.Concat(garbage).Concat(unknown).Order(), moved.Select(m => m.MessageId!).Distinct().Order());
        var items = await cloud.LogItemsAsync(table);
        Assert.All(items, i => Assert.StartsWith("error: ", i["status"].S));
        // Received twice each (maxReceiveCount 2) before the redrive: two items per message.
        Assert.Equal(2, items.Count(i => i["message_id"].S == failing[0] && i["status"].S == "error: disk full"));
        Assert.Equal(2, items.Count(i => i["message_id"].S == garbage[0] && i["status"].S.StartsWith("error: the body is not JSON") && i["task"].S == "unknown"));
        Assert.Equal(2, items.Count(i => i["message_id"].S == unknown[0] && i["status"].S == "error: no handler for apps.streamer.Resample; this worker handles ops.worker.Fail, ops.worker.Sleep"));
        Assert.Contains($"ops.worker.Fail {failing[0]} error: disk full after", worker.Out);
        Assert.Contains("; left on the queue", worker.Out);
        Assert.Equal(0, await cloud.CountAsync(url));
    }

    [Fact]
    public async Task SIGTERM_while_a_message_runs_finishes_it_deletes_it_and_exits_0()
    {
        var (queue, table) = (WorkerCloud.Unique("term"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 3);
        await cloud.CreateLogTableAsync(table);
        var sent = await cloud.SendAsync(url, [Sleep(3000)]);

        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table));
        var deadline = DateTime.UtcNow + Patience;
        while (!(await cloud.LogItemsAsync(table)).Any(i => i["status"].S == "executing"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the message never started.\nstdout:\n{worker.Out}\nstderr:\n{worker.Err}");
            await Task.Delay(50);
        }
        worker.Signal("TERM");
        Assert.Equal(0, await worker.WaitForExit(TimeSpan.FromSeconds(30)));

        Assert.Contains("SIGTERM received: finishing the current message", worker.Out);
        Assert.Contains($"ops.worker.Sleep {sent[0]} done in", worker.Out);
        var item = Assert.Single(await cloud.LogItemsAsync(table));
        Assert.Equal("done", item["status"].S);
        Assert.Equal(0, await cloud.CountAsync(url));
        Assert.Contains("1 done, 0 failed", worker.Out);
    }

    [Fact]
    public async Task A_message_running_longer_than_the_visibility_timeout_is_kept_hidden_and_processed_once()
    {
        var (queue, table) = (WorkerCloud.Unique("long"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 2, maxReceiveCount: 5);
        await cloud.CreateLogTableAsync(table);
        var sent = await cloud.SendAsync(url, [Sleep(5000)]);

        // A second receive loop would take the message the moment it became visible again.
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?> { ["OPS_WORKER_CONCURRENCY"] = "2", ["OPS_WAIT_SECONDS"] = "1" }));
        await WaitForDone(worker, sent);
        Assert.Equal(0, await Stop(worker));

        Assert.Single(await cloud.LogItemsAsync(table));
        Assert.Contains($"{sent[0]} still running after", worker.Out);
        Assert.Equal(0, await cloud.CountAsync(url));
    }

    [Fact]
    public async Task With_30_percent_of_calls_failing_with_503_every_message_is_still_processed()
    {
        var (queue, table) = (WorkerCloud.Unique("flaky"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 10);
        await cloud.CreateLogTableAsync(table);
        var sent = await cloud.SendAsync(url, Enumerable.Range(0, 30).Select(_ => Sleep(1)).ToList());

        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?> { ["OPS_WAIT_SECONDS"] = "1" }));
        var rule = new FaultRule { ServerError = 503, Fraction = 0.3 };
        cloud.Server.Faults.Add(rule);
        try
        {
            await WaitForDone(worker, sent);
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
        Assert.Equal(0, await Stop(worker));

        // The faults really hit the worker's calls (most are absorbed by the SDK's own retries; the worker retries the rest,
        // so whether "retrying in" is printed depends on the dice — what must hold is that nothing is lost).
        Assert.Contains(cloud.Server.Requests.Entries, e => e.Status == 503);
        var done = (await cloud.LogItemsAsync(table)).Where(i => i["status"].S == "done").Select(i => i["message_id"].S).ToHashSet();
        Assert.Equal(sent.Order(), done.Order());
        Assert.Equal(0, await cloud.CountAsync(url));
    }

    [Fact]
    public async Task On_ECS_the_worker_log_names_the_task_from_the_metadata_endpoint_and_the_region_from_its_arn()
    {
        var (queue, table) = (WorkerCloud.Unique("ecs"), WorkerCloud.Unique("log"));
        var (url, _) = await cloud.CreateQueueAsync(queue, visibilityTimeoutSeconds: 30, maxReceiveCount: 3);
        await cloud.CreateLogTableAsync(table);
        var sent = await cloud.SendAsync(url, [Sleep(1)]);
        using var metadata = new FakeEcsAgent("arn:aws:ecs:us-east-1:123456789012:task/iotile-dev/0f3e5b8c1d2a4e6f9a7b8c9d0e1f2a3b");

        using var worker = cloud.StartWorker(cloud.WorkerEnvironment(queue, table, new Dictionary<string, string?>
        {
            ["ECS_CONTAINER_METADATA_URI_V4"] = metadata.MetadataUri,
            ["AWS_REGION"] = null,
        }));
        await WaitForDone(worker, sent);
        Assert.Equal(0, await Stop(worker));

        Assert.Contains("worker 0f3e5b8c1d2a4e6f9a7b8c9d0e1f2a3b started", worker.Out);
        Assert.Equal("0f3e5b8c1d2a4e6f9a7b8c9d0e1f2a3b", Assert.Single(await cloud.LogItemsAsync(table))["server"].S);
    }

    [Fact]
    public async Task Without_OPS_WORK_QUEUE_the_worker_says_so_in_one_line_and_exits_2()
    {
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment("unused", "unused-table", new Dictionary<string, string?> { ["OPS_WORK_QUEUE"] = null }));
        Assert.Equal(2, await worker.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal("ops-worker: OPS_WORK_QUEUE is not set; set it to the work queue's name, like iotile-worker-dev (create-ecs puts it in the task definition).", worker.Err.Trim());
        Assert.Equal("", worker.Out.Trim());
    }

    [Fact]
    public async Task A_queue_that_does_not_exist_is_a_configuration_error()
    {
        var table = WorkerCloud.Unique("log");
        await cloud.CreateLogTableAsync(table);
        using var worker = cloud.StartWorker(cloud.WorkerEnvironment("no-such-queue", table));
        Assert.Equal(2, await worker.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("ops-worker: OPS_WORK_QUEUE: the queue no-such-queue does not exist;", worker.Err.Trim());
    }
}
