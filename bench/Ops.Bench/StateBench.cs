using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Sqs;
using Ops.LocalCloud;

/// <summary>
/// What a durable local-cloud write costs as the state grows: PutItem and SendMessage, sequential, p50 on an empty table
/// and queue and again with <c>--records</c> items and messages held; and how long a restart takes to serve them.
/// Usage: dotnet run -c Release --project bench/Ops.Bench -- state [--records 50000] [--samples 500]
/// </summary>
static class StateBench
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var records = BenchArgs.Count(args, "--records", 50_000);
        var samples = BenchArgs.Count(args, "--samples", 500);
        Console.WriteLine($"Ops.Bench state: {BenchEnvironment.MachineLine()}");
        Console.WriteLine($"durable local cloud (StateDurability.Disk, as ./build.sh runs it); {samples} sequential calls per figure, {records:N0} records preloaded");
        var state = Directory.CreateTempSubdirectory("ops-bench-state-").FullName;
        try
        {
            double putEmpty, putFull, sendEmpty, sendFull;
            string queueUrl;
            await using (var server = await StartAsync(state))
            {
                using var dynamo = AwsConnectionFactory.CreateDynamoDb(BenchEnvironment.Connection(server.Url));
                var sqs = new SqsClient(BenchEnvironment.Connection(server.Url));
                await dynamo.CreateTableAsync(new CreateTableRequest
                {
                    TableName = "bench",
                    AttributeDefinitions = [new AttributeDefinition { AttributeName = "id", AttributeType = ScalarAttributeType.S }],
                    KeySchema = [new KeySchemaElement { AttributeName = "id", KeyType = KeyType.HASH }],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                }, cancellationToken);
                queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "bench" }, cancellationToken)).QueueUrl!;

                putEmpty = await P50Async(samples, n => dynamo.PutItemAsync(Put($"empty-{n}"), cancellationToken));
                sendEmpty = await P50Async(samples,
                    n => sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = Body }, cancellationToken));
                Console.WriteLine($"empty:  PutItem p50 {putEmpty:0.00} ms, SendMessage p50 {sendEmpty:0.00} ms");

                var clock = Stopwatch.StartNew();
                await PreloadAsync(dynamo, sqs, queueUrl, records, cancellationToken);
                Console.WriteLine($"preloaded {records:N0} items (BatchWriteItem) and {records:N0} messages (SendMessageBatch) in {clock.Elapsed.TotalSeconds:0.0} s");

                putFull = await P50Async(samples, n => dynamo.PutItemAsync(Put($"full-{n}"), cancellationToken));
                sendFull = await P50Async(samples,
                    n => sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = Body }, cancellationToken));
                Console.WriteLine($"full:   PutItem p50 {putFull:0.00} ms, SendMessage p50 {sendFull:0.00} ms");
            }
            Console.WriteLine($"PutItem at {records:N0} items / empty: {putFull / putEmpty:0.00}× (goal ≤ 1.5×)");
            Console.WriteLine($"SendMessage at {records:N0} messages / empty: {sendFull / sendEmpty:0.00}× (goal ≤ 1.5×)");

            // A restart: start on the directory, then the first read of each service (which loads its state).
            var restart = Stopwatch.StartNew();
            await using (var server = await StartAsync(state))
            {
                using var dynamo = AwsConnectionFactory.CreateDynamoDb(BenchEnvironment.Connection(server.Url));
                var item = await dynamo.GetItemAsync(new GetItemRequest { TableName = "bench", Key = new() { ["id"] = new AttributeValue { S = "full-0" } } },
                    cancellationToken);
                var sqs = new SqsClient(BenchEnvironment.Connection(server.Url));
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl }, cancellationToken);
                restart.Stop();
                if (item.Item is not { Count: > 0 } || received.Messages is not { Count: > 0 }) throw new BenchException("the restarted cloud lost the preloaded records");
            }
            Console.WriteLine($"restart with {records:N0} items and {records:N0} messages until both are served: {restart.Elapsed.TotalSeconds:0.00} s (goal < 3 s)");
            return 0;
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    const string Body = """{"module":"apps.sqsworker.worker","class":"Sleep","arguments":{"seconds":0}}""";

    static Task<LocalCloudServer> StartAsync(string state) =>
        LocalCloudServer.StartAsync(BenchEnvironment.Operator(new LocalCloudOptions { Delays = LifecycleDelays.Instant, StateDirectory = state,
            RunTasks = false }));

    static PutItemRequest Put(string id) => new()
    {
        TableName = "bench",
        Item = new() { ["id"] = new AttributeValue { S = id }, ["task"] = new AttributeValue { S = "apps.sqsworker.worker.Sleep" }, ["status"] = new AttributeValue { S = "done" } },
    };

    static async Task<double> P50Async(int samples, Func<int, Task> call)
    {
        var times = new List<double>(samples);
        for (var n = 0; n < samples; n++)
        {
            var clock = Stopwatch.StartNew();
            await call(n);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Spread.Of(times).Median;
    }

    /// <summary>Items in batches of 25 and messages in batches of 10, four callers at a time.</summary>
    static async Task PreloadAsync(IAmazonDynamoDB dynamo, SqsClient sqs, string queueUrl, int records, CancellationToken cancellationToken)
    {
        var batches = Enumerable.Range(0, (records + 24) / 25).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (b, ct) =>
        {
            var items = Enumerable.Range(b * 25, Math.Min(25, records - b * 25))
                .Select(n => new WriteRequest { PutRequest = new PutRequest { Item = Put($"preload-{n}").Item } }).ToList();
            await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { ["bench"] = items } }, ct);
        });
        var sends = Enumerable.Range(0, (records + 9) / 10).ToList();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (b, ct) =>
        {
            var entries = Enumerable.Range(0, Math.Min(10, records - b * 10))
                .Select(n => new SendMessageBatchRequestEntry { Id = $"m{n}", MessageBody = Body }).ToList();
            await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = entries }, ct);
        });
    }
}
