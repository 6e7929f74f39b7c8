using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Aws.Sqs;
using Ops.LocalCloud;

/// <summary>
/// deploy-worker on LocalCloud as a user runs it (<c>./build.sh deploy-worker --endpoint-url …</c>, a child process) over
/// 3, 10 and 50 real Ops.Worker processes under a steady stream of Sleep messages, for both drain strategies: wall time,
/// drain latency, the tool's overhead between the last acknowledgement and UpdateService, messages sent, processed, duplicated.
/// </summary>
static class RolloutBench
{
    const string StageName = "benchroll";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var counts = (BenchArgs.Text(args, "--counts") ?? "3,10,50").Split(',')
            .Select(c => int.TryParse(c, out var n) && n is > 0 and <= 100 ? n : throw new BenchException($"--counts wants worker counts 1–100 separated by commas, not '{c}'")).ToList();
        var strategies = (BenchArgs.Text(args, "--strategies") ?? "kill-ack,task-protection").Split(',')
            .Select(s => s is "kill-ack" or "task-protection" ? s : throw new BenchException($"--strategies wants kill-ack and/or task-protection, not '{s}'")).ToList();
        var rate = double.TryParse(BenchArgs.Text(args, "--rate") ?? "1", CultureInfo.InvariantCulture, out var r) && r > 0 ? r
            : throw new BenchException("--rate wants messages per second per worker, like 1");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Console.WriteLine($"Ops.Bench rollout: {BenchEnvironment.MachineLine()}");
        Console.WriteLine($"deploy-worker (./build.sh, --skip build-docker: the workers are the stack's local command) under a steady stream of " +
                          $"{rate:0.#} Sleep message(s) of 50–300 ms per worker per second; every worker a real Ops.Worker process (Release).");

        var root = BenchEnvironment.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("ops-bench-rollout-").FullName;
        try
        {
            var worker = await FleetBench.PublishWorkerAsync(root, Path.Combine(work, "worker"), cancellationToken);
            await CliAsync(root, ["--help"], cancellationToken); // builds the build project once, outside the measurements
            var results = new List<Row>();
            foreach (var count in counts)
                foreach (var strategy in strategies)
                    results.Add(await MeasureAsync(root, worker, Path.Combine(work, $"{strategy}-{count}"), count, strategy, rate, cancellationToken));

            Console.WriteLine();
            Console.WriteLine($"{"workers",7} {"strategy",-15} {"wall s",7} {"drain s",8} {"kills/worker",12} {"overhead ms",11} {"(req log) ms",12} " +
                              $"{"update s",8} {"sent",6} {"processed",9} {"dup",4}  load after");
            foreach (var row in results)
                Console.WriteLine($"{row.Workers,7} {row.Strategy,-15} {row.Wall,7:0.0} {row.Drain,8:0.0} {row.KillReceives,12:0.00} {row.Overhead,11:0} " +
                                  $"{row.OverheadLog,12:0} {row.Update,8:0.0} {row.Sent,6} {row.Processed,9} {row.Duplicates,4}  {row.Load}{(row.Failure is { } f ? "  " + f : "")}");
            Console.WriteLine("wall: deploy-worker start to exit. drain: rollout start to the last acknowledgement (kill-ack) or to the last old task stopped (task-protection).");
            Console.WriteLine("overhead: the record's drained_at → update_called_at; (req log): the last ack record's acked_at → the UpdateService request in LocalCloud's log.");
            Console.WriteLine("update: UpdateService → the record's finished_at. dup: messages delivered more than once.");
            Console.WriteLine("kills/worker: kill messages received per drained worker: (acknowledgements + ChangeMessageVisibility put-backs during the drain) / acknowledgements.");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One line of the table.</summary>
    sealed record Row(int Workers, string Strategy, double Wall, double Drain, double Overhead, double OverheadLog, double Update, int Sent, int Processed,
        int Duplicates, string Load)
    {
        /// <summary>kill-ack: kill messages received per drained worker (its own take plus every put-back, from the request log).</summary>
        public double KillReceives { get; init; } = double.NaN;

        /// <summary>Why the rollout did not complete, when it did not.</summary>
        public string? Failure { get; init; }
    }

    static async Task<Row> MeasureAsync(string root, string worker, string state, int workers, string strategy, double rate,
        CancellationToken cancellationToken)
    {
        Console.WriteLine($"{workers} worker(s), {strategy}: load average {BenchEnvironment.LoadAverage()}");
        Directory.CreateDirectory(state);
        await using var server = await LocalCloudServer.StartAsync(BenchEnvironment.Operator(new LocalCloudOptions { Delays = LifecycleDelays.Instant,
            StateDirectory = Path.Combine(state, "cloud") }));
        var connection = BenchEnvironment.Connection(server.Url) with { MaxAttempts = 10 };
        var stackFile = Path.Combine(state, "stack.yml");
        await File.WriteAllTextAsync(stackFile, $$"""
            stages:
              {{StageName}}:
                repository: {name: {{StageName}}-worker}
                local: {command: [dotnet, "{{worker}}"], prepare: []}
                worker: {drain: {{strategy}}, longest-message: 20s}
                queues:
                  work: {visibility-timeout: 30s}
                rollout: {drain-timeout: 1m, update-timeout: 3m}
                ecs:
                  desired-count: {{workers}}
                  stop-timeout: 30s
                  environment: {OPS_WAIT_SECONDS: "1"}
            """, cancellationToken);
        string[] Args(string target) => [target, "--stage", StageName, "--stack", stackFile, "--endpoint-url", server.Url.ToString()];

        await CliAsync(root, Args("create-ecs"), cancellationToken);
        var cluster = $"iotile-{StageName}";
        using var ecs = new EcsClient(connection);
        await WaitAsync($"{workers} running task(s)", TimeSpan.FromMinutes(5), async () =>
        {
            var running = (await ecs.ListTasksAsync(new ListTasksRequest { Cluster = cluster, DesiredStatus = "RUNNING" }, cancellationToken)).TaskArns?.Count ?? 0;
            return running >= workers;
        }, cancellationToken);
        var from = (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = [$"iotile-worker-{StageName}"] }, cancellationToken)).Services!.Single();
        var oldTasks = (await ecs.ListTasksAsync(new ListTasksRequest { Cluster = cluster, DesiredStatus = "RUNNING" }, cancellationToken)).TaskArns!;

        using var sqs = new SqsClient(connection);
        var queueUrl = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = $"iotile-worker-{StageName}" }, cancellationToken)).QueueUrl!;
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sent = new List<string>();
        var load = SendAsync(sqs, queueUrl, workers * rate, sent, stopLoad.Token);
        await Task.Delay(2000, cancellationToken);

        var clock = Stopwatch.StartNew();
        string output;
        try
        {
            output = await CliAsync(root, [.. Args("deploy-worker"), "--skip", "build-docker"], cancellationToken);
        }
        catch (BenchException e)
        {
            // A failed rollout is a figure too: how far the drain got, and where the kill messages went.
            var failedAfter = clock.Elapsed.TotalSeconds;
            await stopLoad.CancelAsync();
            await load;
            var dlqUrl = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = $"iotile-worker-{StageName}-dlq" }, cancellationToken)).QueueUrl!;
            var dead = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = dlqUrl, AttributeNames = ["ApproximateNumberOfMessages"] },
                cancellationToken)).Attributes!["ApproximateNumberOfMessages"];
            using var table = AwsConnectionFactory.CreateDynamoDb(connection);
            var newest = (await table.QueryAsync(new QueryRequest
            {
                TableName = $"iotile-rollouts-{StageName}",
                KeyConditionExpression = "pk = :pk",
                ScanIndexForward = false,
                Limit = 1,
                ConsistentRead = true,
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "rollout" } },
            }, cancellationToken)).Items.Single();
            var acked = newest.TryGetValue("tasks", out var map) ? map.M.Values.Count(t => t.M["state"].S != "pending") : 0;
            var failure = $"failed in phase {newest["phase"].S}: {acked}/{workers} drained, {dead} message(s) in the dead-letter queue";
            Console.WriteLine($"  {failure} ({e.Message.Split(" | ").FirstOrDefault(l => l.Contains("error")) ?? "see above"})");
            await CliAsync(root, Args("terminate-ecs"), cancellationToken);
            return new Row(workers, strategy, failedAfter, double.NaN, double.NaN, double.NaN, double.NaN, sent.Count, 0, 0,
                BenchEnvironment.LoadAverage()) { Failure = failure };
        }
        var wall = clock.Elapsed.TotalSeconds;
        await Task.Delay(2000, cancellationToken);
        await stopLoad.CancelAsync();
        await load;

        using var dynamo = AwsConnectionFactory.CreateDynamoDb(connection);
        var record = (await dynamo.QueryAsync(new QueryRequest
        {
            TableName = $"iotile-rollouts-{StageName}",
            KeyConditionExpression = "pk = :pk",
            ScanIndexForward = false,
            Limit = 1,
            ConsistentRead = true,
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "rollout" } },
        }, cancellationToken)).Items.Single();
        if (record["phase"].S != "completed") throw new BenchException($"the rollout ended {record["phase"].S}:\n{output}");
        var startedAt = Time(record["started_at"].S);
        var updateCalled = Time(record["update_called_at"].S);
        var finished = Time(record["finished_at"].S);
        var drainedAt = record.TryGetValue("drained_at", out var d) && d.S is { Length: > 0 } ? Time(d.S) : updateCalled;

        // Drain latency: the last acknowledgement (kill-ack) or the last old task stopped (task-protection).
        DateTimeOffset lastDrain;
        var ackCount = 0;
        if (strategy == "kill-ack")
        {
            var acks = (await dynamo.QueryAsync(new QueryRequest
            {
                TableName = $"iotile-rollouts-{StageName}",
                KeyConditionExpression = "pk = :pk",
                ConsistentRead = true,
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "ack#" + record["rollout_id"].S } },
            }, cancellationToken)).Items;
            lastDrain = acks.Count > 0 ? acks.Max(a => Time(a["acked_at"].S)) : drainedAt;
            ackCount = acks.Count;
        }
        else
        {
            var stopped = (await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = oldTasks }, cancellationToken)).Tasks ?? [];
            lastDrain = stopped.Select(t => t.StoppedAt ?? finished).DefaultIfEmpty(finished).Max();
        }
        var requests = server.Requests.Entries;
        // Every kill message a worker received either drained it (one acknowledgement) or was put back (ChangeMessageVisibility;
        // the Sleep messages here are too short for the visibility extender to change theirs).
        var killReceives = double.NaN;
        if (strategy == "kill-ack")
        {
            var putBacks = requests.Count(e => e.Service == "sqs" && e.Operation == "ChangeMessageVisibility" && e.At >= startedAt && e.At <= lastDrain);
            killReceives = ackCount == 0 ? double.NaN : (ackCount + putBacks) / (double)ackCount;
        }
        var update = requests.FirstOrDefault(e => e.Service == "ecs" && e.Operation == "UpdateService" && e.Status == 200);
        // The worker's acked_at and LocalCloud's request time share this machine's clock.
        var overheadLog = strategy == "kill-ack" && update != null ? (update.At - lastDrain).TotalMilliseconds : double.NaN;

        // Every message sent must be done; count duplicates.
        var items = await ScanAsync(dynamo, $"iotile-worker-logs-{StageName}", cancellationToken);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (sent.Except(items.Where(i => i["status"].S == "done").Select(i => i["message_id"].S)).Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, cancellationToken);
            items = await ScanAsync(dynamo, $"iotile-worker-logs-{StageName}", cancellationToken);
        }
        var deliveries = items.Where(i => i.ContainsKey("message_id") && i["task"].S == "ops.worker.Sleep").GroupBy(i => i["message_id"].S).ToList();
        var processed = deliveries.Count(g => g.Any(i => i["status"].S == "done") && sent.Contains(g.Key));
        var duplicates = deliveries.Count(g => g.Count() > 1);
        Console.WriteLine($"  wall {wall:0.0} s; {sent.Count} sent, {processed} processed, {duplicates} duplicated");
        await CliAsync(root, Args("terminate-ecs"), cancellationToken);
        return new Row(workers, strategy, wall, (lastDrain - startedAt).TotalSeconds, (updateCalled - drainedAt).TotalMilliseconds, overheadLog,
            (finished - updateCalled).TotalSeconds, sent.Count, processed, duplicates, BenchEnvironment.LoadAverage()) { KillReceives = killReceives };
    }

    /// <summary>Sends Sleep messages of 50–300 ms at <paramref name="perSecond"/> until cancelled, recording their ids.</summary>
    static async Task SendAsync(SqsClient sqs, string queueUrl, double perSecond, List<string> sent, CancellationToken cancellationToken)
    {
        var random = new Random(10);
        var every = TimeSpan.FromSeconds(Math.Max(0.05, 1 / perSecond));
        var batch = (int)Math.Clamp(Math.Round(perSecond * every.TotalSeconds), 1, 10);
        while (!cancellationToken.IsCancellationRequested)
        {
            var entries = Enumerable.Range(0, batch).Select(i => new SendMessageBatchRequestEntry
            {
                Id = $"m{i}",
                MessageBody = "{\"module\":\"ops.worker\",\"class\":\"Sleep\",\"arguments\":{\"ms\":" + random.Next(50, 301) + "}}",
            }).ToList();
            var result = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = entries }, CancellationToken.None);
            sent.AddRange(result.Successful!.Select(s => s.MessageId!));
            try
            {
                await Task.Delay(every, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(Amazon.DynamoDBv2.IAmazonDynamoDB dynamo, string table,
        CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true }, cancellationToken);
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start != null);
        return items;
    }

    /// <summary>Runs ./build.sh with test keys; its output, or a <see cref="BenchException"/> with its last lines.</summary>
    static Task<string> CliAsync(string root, string[] args, CancellationToken cancellationToken) => ChildCommand.BuildShAsync(root, args, cancellationToken);

    static async Task WaitAsync(string what, TimeSpan timeout, Func<Task<bool>> done, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new BenchException($"gave up waiting for {what} after {timeout.TotalSeconds:0} s");
            await Task.Delay(200, cancellationToken);
        }
    }

    static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
