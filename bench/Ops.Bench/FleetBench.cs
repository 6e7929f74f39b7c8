using System.Diagnostics;
using System.Runtime;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Aws.Sqs;
using Ops.LocalCloud;
using Ops.LocalCloud.Diagnostics;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Identity;
using Ops.Stack.Model;

/// <summary>
/// The worker fleet on LocalCloud: messages per second processed by real Ops.Worker processes (the stack's local command,
/// run by LocalCloud's task runner) at several service counts, and how long a task takes from RunTask to its first poll.
/// Everything is created by the fleet code create-ecs uses; times come from LocalCloud's request log (its own clock).
/// </summary>
static class FleetBench
{
    const string Stage = "bench";
    const string ZeroWork = """{"module":"ops.worker","class":"Sleep","arguments":{"ms":0}}""";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var messages = BenchArgs.Count(args, "--messages", 2000);
        var counts = (BenchArgs.Text(args, "--counts") ?? "1,3,10").Split(',')
            .Select(c => int.TryParse(c, out var n) && n is > 0 and <= 100 ? n : throw new BenchException($"--counts wants worker counts 1–100 separated by commas, not '{c}'")).ToList();
        var starts = BenchArgs.Count(args, "--starts", 10);
        var verbose = args.Contains("--verbose");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Console.WriteLine($"Ops.Bench fleet: {BenchEnvironment.MachineLine()}");
        Console.WriteLine($"{messages} zero-work messages ({ZeroWork}) per worker count; every worker a real Ops.Worker process (Release) run by LocalCloud's task runner.");

        var root = BenchEnvironment.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("ops-bench-fleet-").FullName;
        try
        {
            var worker = await PublishWorkerAsync(root, Path.Combine(work, "worker"), cancellationToken);
            var results = new List<(int Workers, double PerSecond, double Warm, int Items, string Load)>();
            foreach (var count in counts)
            {
                var (perSecond, warm, items) = await ThroughputAsync(root, worker, Path.Combine(work, $"state-{count}"), count, messages, verbose, cancellationToken);
                results.Add((count, perSecond, warm, items, BenchEnvironment.LoadAverage()));
            }
            var latencies = await StartLatencyAsync(root, worker, Path.Combine(work, "state-starts"), starts, verbose, cancellationToken);

            Console.WriteLine();
            Console.WriteLine($"{"workers",7} {"msgs/s",8} {"per worker",10} {"2nd half",8} {"log items",9}   load average after");
            foreach (var r in results)
                Console.WriteLine($"{r.Workers,7} {r.PerSecond,8:0} {r.PerSecond / r.Workers,10:0} {r.Warm,8:0} {r.Items,9}   {r.Load}");
            Console.WriteLine($"task start (RunTask → first ReceiveMessage), {latencies.Count} tasks: {Spread.Of(latencies).Format("ms")}");
            Console.WriteLine($"load average at the end: {BenchEnvironment.LoadAverage()}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Publishes Ops.Worker once in Release; returns the path of its dll.</summary>
    internal static async Task<string> PublishWorkerAsync(string root, string output, CancellationToken cancellationToken)
    {
        Console.WriteLine($"publishing Ops.Worker (Release) to {output}");
        await ChildCommand.RunAsync(["dotnet", "publish", "src/Ops.Worker/Ops.Worker.csproj", "-c", "Release", "-o", output, "--nologo", "-v", "quiet"], root, cancellationToken);
        return Path.Combine(output, "Ops.Worker.dll");
    }

    /// <summary>The stage's stack with <paramref name="workers"/> tasks of the published worker as the local command.</summary>
    static StageStack Stack(string workerDll, int workers)
    {
        var stack = StackDefaults.For(Stage);
        return stack with
        {
            Ecs = stack.Ecs with { DesiredCount = workers },
            Local = new LocalSpec { Command = ["dotnet", workerDll], Directory = Path.GetDirectoryName(workerDll)!, Prepare = [] },
        };
    }

    static StageContext Context(LocalCloudServer server, StageStack stack, string root, bool verbose) => new()
    {
        Connection = BenchEnvironment.Connection(server.Url),
        Stack = stack,
        Log = new BenchStackLog(verbose),
        RepositoryRoot = root,
        PollInterval = TimeSpan.FromMilliseconds(100),
        WaitTimeout = TimeSpan.FromMinutes(2),
        WaitForService = false,
    };

    /// <summary>A fresh local cloud with a state directory (so ECS tasks are real processes), instant lifecycles.</summary>
    static Task<LocalCloudServer> StartCloudAsync(string state) =>
        LocalCloudServer.StartAsync(BenchEnvironment.Operator(new LocalCloudOptions { Delays = LifecycleDelays.Instant, StateDirectory = state }));

    /// <summary>
    /// Roles, queues, worker-log table and repository, as create-ecs's dependencies make them (the workers' task role is
    /// what they call with).
    /// </summary>
    static async Task CreateDependenciesAsync(StageContext context, CancellationToken cancellationToken)
    {
        await new IamProvisioner(context).EnsureAsync(cancellationToken);
        await new QueueProvisioner(context).EnsureAsync(cancellationToken);
        await new WorkerLogTableProvisioner(context).EnsureAsync(cancellationToken);
        await new RepositoryProvisioner(context).EnsureAsync(cancellationToken);
    }

    /// <summary>
    /// Pre-loads <paramref name="messages"/> messages, creates the service at <paramref name="workers"/> tasks, and measures
    /// from the first worker-log item written to the last one finished; checks that every message was processed and deleted.
    /// </summary>
    static async Task<(double PerSecond, double Warm, int Items)> ThroughputAsync(string root, string worker, string state, int workers, int messages,
        bool verbose, CancellationToken cancellationToken)
    {
        Console.WriteLine($"{workers} worker(s): load average {BenchEnvironment.LoadAverage()}");
        await using var server = await StartCloudAsync(state);
        var stack = Stack(worker, workers);
        var context = Context(server, stack, root, verbose);
        await CreateDependenciesAsync(context, cancellationToken);
        var sqs = new SqsClient(context.Connection);
        var queueUrl = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = stack.Queues.Work.Name }, cancellationToken)).QueueUrl!;
        var sent = await SendAsync(sqs, queueUrl, messages, cancellationToken);

        var before = server.Requests.Entries.Count;
        var (jitMethods, jitTime, allocated) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), GC.GetTotalAllocatedBytes());
        await new EcsProvisioner(context).EnsureAsync(cancellationToken);
        await WaitAsync($"{workers} worker(s) to finish {messages} messages", TimeSpan.FromSeconds(60 + messages / 10), async () =>
        {
            var finished = server.Requests.Entries.Skip(before).Count(e => IsOk(e, "dynamodb", "UpdateItem"));
            if (finished < messages) return (false, $"{finished} of {messages} done");
            var depth = await DepthAsync(sqs, queueUrl, cancellationToken);
            return (depth == 0, $"{finished} done, {depth} left on the queue");
        }, server, stack, cancellationToken, TimeSpan.FromMilliseconds(500)); // each look copies the request log: seldom, to leave the CPU to the fleet

        Console.WriteLine($"  LocalCloud (this process) meanwhile: {JitInfo.GetCompiledMethodCount() - jitMethods} methods compiled in " +
                          $"{(JitInfo.GetCompilationTime() - jitTime).TotalSeconds:0.0} s, {(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / messages:0} KiB allocated per message");
        var log = server.Requests.Entries.Skip(before).ToList();
        var first = log.First(e => IsOk(e, "dynamodb", "PutItem")).At;
        var finishes = log.Where(e => IsOk(e, "dynamodb", "UpdateItem")).Select(e => e.At).ToList();
        var last = finishes[^1];
        var half = finishes[finishes.Count / 2];
        var items = await WorkerLogAsync(context, cancellationToken);
        var done = items.Where(i => i["status"].S == "done").Select(i => i["message_id"].S).ToHashSet();
        var missing = sent.Count(id => !done.Contains(id));
        if (missing > 0) throw new BenchException($"{missing} of {messages} messages have no 'done' item in {stack.WorkerLogTable}; the figure would be wrong");
        var perSecond = messages / (last - first).TotalSeconds;
        var warm = (finishes.Count - 1 - finishes.Count / 2) / (last - half).TotalSeconds;
        Console.WriteLine($"  {messages} messages in {(last - first).TotalSeconds:0.00} s: {perSecond:0} msgs/s, {perSecond / workers:0} per worker; " +
                          $"second half {warm:0} msgs/s; {items.Count} log items ({items.Count - messages} redeliveries); " +
                          $"servers: {items.Select(i => i["server"].S).Distinct().Count()}");
        var window = log.Where(e => e.At >= first && e.At <= last).ToList();
        Console.WriteLine("  median time in LocalCloud per call: " + string.Join(", ", new[] { ("sqs", "ReceiveMessage"), ("dynamodb", "PutItem"), ("sqs", "DeleteMessage"), ("dynamodb", "UpdateItem") }
            .Select(o => (Operation: o.Item2, Calls: window.Where(e => IsOk(e, o.Item1, o.Item2)).Select(e => e.Duration.TotalMilliseconds).ToList()))
            .Where(o => o.Calls.Count > 0).Select(o => $"{o.Operation} {Spread.Of(o.Calls).Median:0.0} ms")));
        return (perSecond, warm, items.Count);
    }

    /// <summary>
    /// Runs <paramref name="tasks"/> tasks one after the other (RunTask, then StopTask once it polled, waiting for STOPPED):
    /// each one's time from the RunTask call to the start of its first ReceiveMessage, as the request log has it.
    /// One message waits on the queue for each, so the first poll returns at once.
    /// </summary>
    static async Task<List<double>> StartLatencyAsync(string root, string worker, string state, int tasks, bool verbose, CancellationToken cancellationToken)
    {
        Console.WriteLine($"task start latency, {tasks} tasks in turn: load average {BenchEnvironment.LoadAverage()}");
        await using var server = await StartCloudAsync(state);
        var stack = Stack(worker, 0);
        var context = Context(server, stack, root, verbose);
        await CreateDependenciesAsync(context, cancellationToken);
        await new EcsProvisioner(context).EnsureAsync(cancellationToken);
        var ecs = new EcsClient(context.Connection);
        var sqs = new SqsClient(context.Connection);
        var queueUrl = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = stack.Queues.Work.Name }, cancellationToken)).QueueUrl!;

        var latencies = new List<double>();
        for (var n = 0; n < tasks; n++)
        {
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = ZeroWork }, cancellationToken);
            var before = server.Requests.Entries.Count;
            var requested = DateTimeOffset.UtcNow;
            var run = await ecs.RunTaskAsync(new RunTaskRequest { Cluster = stack.Ecs.Cluster, TaskDefinition = stack.Ecs.TaskFamily, LaunchType = "FARGATE",
                Count = 1 }, cancellationToken);
            var task = run.Tasks?.FirstOrDefault() ?? throw new BenchException($"RunTask started no task: {string.Join("; ", run.Failures?.Select(f => f.Reason) ?? [])}");
            LoggedRequest? poll = null;
            await WaitAsync($"task {task.TaskArn} to poll", TimeSpan.FromSeconds(60), () =>
            {
                poll = server.Requests.Entries.Skip(before).FirstOrDefault(e => IsOk(e, "sqs", "ReceiveMessage"));
                return Task.FromResult((poll != null, "no ReceiveMessage yet"));
            }, server, stack, cancellationToken, TimeSpan.FromMilliseconds(5));
            var latency = (poll!.At - poll.Duration - requested).TotalMilliseconds;
            latencies.Add(latency);
            var runner = (await DescribeAsync(ecs, stack, task.TaskArn!, cancellationToken)).Attributes?.FirstOrDefault(a => a.Name == "ops.runner")?.Value;
            Console.WriteLine($"  task {n + 1}: {latency:0} ms (runner {runner})");

            await ecs.StopTaskAsync(new StopTaskRequest { Cluster = stack.Ecs.Cluster, Task = task.TaskArn, Reason = "benchmark: measured" }, cancellationToken);
            await WaitAsync($"task {task.TaskArn} to stop", TimeSpan.FromSeconds(60), async () =>
            {
                var described = await DescribeAsync(ecs, stack, task.TaskArn!, cancellationToken);
                return (described.LastStatus == "STOPPED", described.LastStatus ?? "?");
            }, server, stack, cancellationToken);
        }
        return latencies;
    }

    static bool IsOk(LoggedRequest e, string service, string operation) => e.Service == service && e.Operation == operation && e.Status == 200;

    /// <summary>Sends the zero-work messages in batches of 10, four batches at a time; returns their message ids.</summary>
    static async Task<List<string>> SendAsync(SqsClient sqs, string queueUrl, int messages, CancellationToken cancellationToken)
    {
        var batches = Enumerable.Range(0, messages).Chunk(10).ToList();
        var ids = new List<string>();
        foreach (var group in batches.Chunk(4))
        {
            var sent = await Task.WhenAll(group.Select(batch => sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = batch.Select(i => new SendMessageBatchRequestEntry { Id = $"m{i}", MessageBody = ZeroWork }).ToList(),
            }, cancellationToken)));
            foreach (var result in sent)
            {
                if (result.Failed is { Count: > 0 } failed) throw new BenchException($"SendMessageBatch refused {failed.Count} message(s): {failed[0].Code} {failed[0].Message}");
                ids.AddRange(result.Successful!.Select(s => s.MessageId!));
            }
        }
        return ids;
    }

    /// <summary>Messages on the queue, visible or in flight.</summary>
    static async Task<int> DepthAsync(SqsClient sqs, string queueUrl, CancellationToken cancellationToken)
    {
        var attributes = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }, cancellationToken)).Attributes!;
        return int.Parse(attributes["ApproximateNumberOfMessages"]) + int.Parse(attributes["ApproximateNumberOfMessagesNotVisible"]);
    }

    /// <summary>Every item of the stage's worker-log table.</summary>
    static async Task<List<Dictionary<string, AttributeValue>>> WorkerLogAsync(StageContext context, CancellationToken cancellationToken)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(context.Connection);
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = context.Stack.WorkerLogTable, ExclusiveStartKey = start }, cancellationToken);
            items.AddRange(page.Items);
            start = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
        } while (start != null);
        return items;
    }

    static async Task<EcsTask> DescribeAsync(EcsClient ecs, StageStack stack, string taskArn, CancellationToken cancellationToken) =>
        (await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = stack.Ecs.Cluster, Tasks = [taskArn] }, cancellationToken)).Tasks?.FirstOrDefault()
        ?? throw new BenchException($"DescribeTasks does not know {taskArn}");

    /// <summary>
    /// Polls <paramref name="check"/> until it holds; past <paramref name="limit"/> fails naming what it waited for, the last
    /// state seen and why the service's last stopped task stopped (a worker that cannot start shows there).
    /// </summary>
    static async Task WaitAsync(string what, TimeSpan limit, Func<Task<(bool Done, string State)>> check, LocalCloudServer server, StageStack stack,
        CancellationToken cancellationToken, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var (done, state) = await check();
            if (done) return;
            if (clock.Elapsed > limit)
                throw new BenchException($"gave up waiting {limit.TotalSeconds:0} s for {what} ({state}){await StoppedReasonAsync(server, stack, cancellationToken)}");
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  waiting for {what}: {state} ({clock.Elapsed.TotalSeconds:0} s)");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    static async Task<string> StoppedReasonAsync(LocalCloudServer server, StageStack stack, CancellationToken cancellationToken)
    {
        var ecs = new EcsClient(BenchEnvironment.Connection(server.Url));
        var stopped = (await ecs.ListTasksAsync(new ListTasksRequest { Cluster = stack.Ecs.Cluster, DesiredStatus = "STOPPED" }, cancellationToken)).TaskArns ?? [];
        if (stopped.Count == 0) return "";
        var task = await DescribeAsync(ecs, stack, stopped[^1], cancellationToken);
        return $"; a task stopped: {task.StopCode} {task.StoppedReason} {string.Join(' ', task.Containers?.Select(c => $"exit {c.ExitCode} {c.Reason}") ?? [])}";
    }

}
