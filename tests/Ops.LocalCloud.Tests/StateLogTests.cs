using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Sqs;
using SendMessageBatchRequest = Ops.Aws.Sqs.SendMessageBatchRequest;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// The local cloud's write-ahead log of records: a DynamoDB item or an SQS message costs its own size in the log, a crash
/// keeps every acknowledged change, and compaction (in the background, or cut short by a crash) loses nothing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StateLogTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("ops-state-log-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    Task<LocalCloudServer> Start(long compactAt = 8 * 1024 * 1024) =>
        LocalCloudServer.StartAsync(TestClouds.Options(_dir) with { CompactLogAtBytes = compactAt });

    static Ops.Aws.AwsConnection Connect(LocalCloudServer server) => TestClouds.Connection(server.Url, maxAttempts: 1);

    string Log => Path.Combine(_dir, "wal.log");

    static byte[] Read(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The files a crash would leave now: every file under the state directory as it is on disk this moment.</summary>
    Dictionary<string, byte[]> CrashImage() =>
        Directory.EnumerateFiles(_dir).Where(f => f.EndsWith(".json") || f.EndsWith(".log")).ToDictionary(f => f, Read);

    void Restore(Dictionary<string, byte[]> image)
    {
        foreach (var file in Directory.EnumerateFiles(_dir).Where(f => f.EndsWith(".json") || f.EndsWith(".log"))) File.Delete(file);
        foreach (var (file, bytes) in image) File.WriteAllBytes(file, bytes);
    }

    static IAmazonDynamoDB Dynamo(LocalCloudServer server) => AwsConnectionFactory.CreateDynamoDb(Connect(server));

    static async Task CreateTableAsync(IAmazonDynamoDB dynamo, string name) => await dynamo.CreateTableAsync(new CreateTableRequest
    {
        TableName = name,
        AttributeDefinitions = [new AttributeDefinition { AttributeName = "id", AttributeType = ScalarAttributeType.S }],
        KeySchema = [new KeySchemaElement { AttributeName = "id", KeyType = KeyType.HASH }],
        BillingMode = BillingMode.PAY_PER_REQUEST,
    });

    static Dictionary<string, AttributeValue> Item(string id, string value) => new() { ["id"] = new() { S = id }, ["v"] = new() { S = value } };

    static async Task<string?> GetAsync(IAmazonDynamoDB dynamo, string table, string id) =>
        (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["id"] = new() { S = id } } })).Item is { Count: > 0 } item
            ? item["v"].S
            : null;

    [Fact]
    public async Task An_item_or_a_message_costs_its_own_size_in_the_log_however_much_the_service_holds()
    {
        await using var server = await Start();
        using var dynamo = Dynamo(server);
        var sqs = new SqsClient(Connect(server));
        await CreateTableAsync(dynamo, "big");
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "big" })).QueueUrl!;
        for (var batch = 0; batch < 40; batch++)
        {
            await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new()
                {
                    ["big"] = [.. Enumerable.Range(0, 25).Select(n => new WriteRequest { PutRequest = new PutRequest { Item = Item($"{batch}-{n}", new string('x', 200)) } })],
                },
            });
            await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = url,
                Entries = [.. Enumerable.Range(0, 10).Select(n => new SendMessageBatchRequestEntry { Id = $"m{n}", MessageBody = new string('y', 200) })],
            });
        }

        // 1,000 items and 400 messages of 200 bytes each are held: one more of either appends well under 1 KiB.
        var before = new FileInfo(Log).Length;
        await dynamo.PutItemAsync(new PutItemRequest { TableName = "big", Item = Item("one-more", "z") });
        var afterPut = new FileInfo(Log).Length;
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "one more" });
        var afterSend = new FileInfo(Log).Length;
        Assert.InRange(afterPut - before, 1, 1024);
        Assert.InRange(afterSend - afterPut, 1, 1024);
    }

    [Fact]
    public async Task A_crash_keeps_every_acknowledged_put_update_delete_send_and_delete_of_a_message()
    {
        Dictionary<string, byte[]> crash;
        string url;
        await using (var server = await Start())
        {
            using var dynamo = Dynamo(server);
            var sqs = new SqsClient(Connect(server));
            await CreateTableAsync(dynamo, "table");
            url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "q" })).QueueUrl!;
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "table", Item = Item("a", "1") });
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "table", Item = Item("b", "1") });
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = "table",
                Key = new() { ["id"] = new() { S = "a" } },
                UpdateExpression = "SET v = :v",
                ExpressionAttributeValues = new() { [":v"] = new() { S = "2" } },
            });
            await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = "table", Key = new() { ["id"] = new() { S = "b" } } });
            foreach (var body in new[] { "first", "second", "third" })
                await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = body });
            var first = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url })).Messages!.Single();
            Assert.Equal("first", first.Body);
            await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = url, ReceiptHandle = first.ReceiptHandle });
            crash = CrashImage(); // what kill -9 would leave now: the service files of the start, and the log
        }
        Restore(crash);
        await using (var server = await Start())
        {
            using var dynamo = Dynamo(server);
            Assert.Equal("2", await GetAsync(dynamo, "table", "a"));
            Assert.Null(await GetAsync(dynamo, "table", "b"));
            var sqs = new SqsClient(Connect(server));
            var left = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10 })).Messages!;
            Assert.Equal(new[] { "second", "third" }, left.Select(m => m.Body!).ToArray()); // in send order, the deleted one gone
        }
    }

    [Fact]
    public async Task Compaction_in_the_background_keeps_everything_and_the_log_stays_small()
    {
        await using (var server = await Start(compactAt: 8 * 1024))
        {
            using var dynamo = Dynamo(server);
            await CreateTableAsync(dynamo, "compacted");
            for (var n = 0; n < 300; n++)
                await dynamo.PutItemAsync(new PutItemRequest { TableName = "compacted", Item = Item($"k{n % 100}", $"{n}") });
            Assert.True(new FileInfo(Log).Length < 64 * 1024, "the log is compacted as it grows");
            var crash = CrashImage();
            await server.DisposeAsync();
            Restore(crash);
        }
        await using (var server = await Start())
        {
            using var dynamo = Dynamo(server);
            for (var k = 0; k < 100; k++) Assert.Equal($"{200 + k}", await GetAsync(dynamo, "compacted", $"k{k}"));
        }
    }

    [Fact]
    public async Task A_crash_in_the_middle_of_a_compaction_replays_the_set_aside_log_then_the_new_one_over_newer_files()
    {
        byte[] early, all;
        await using (var server = await Start())
        {
            using var dynamo = Dynamo(server);
            await CreateTableAsync(dynamo, "middle");
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "middle", Item = Item("a", "1") });
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "middle", Item = Item("b", "1") });
            early = Read(Log);
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "middle", Item = Item("a", "2") });
            await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = "middle", Key = new() { ["id"] = new() { S = "b" } } });
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "middle", Item = Item("c", "1") });
            all = Read(Log);
        }
        // The log was set aside after "early", the new one got the rest, and the file was written from a snapshot newer
        // than both (the server's own at stop); then the crash, before the set-aside log was deleted.
        File.WriteAllBytes(Path.Combine(_dir, "wal.old.log"), early);
        File.WriteAllBytes(Log, all[early.Length..]);
        await using (var server = await Start())
        {
            using var dynamo = Dynamo(server);
            Assert.Equal("2", await GetAsync(dynamo, "middle", "a"));
            Assert.Null(await GetAsync(dynamo, "middle", "b"));
            Assert.Equal("1", await GetAsync(dynamo, "middle", "c"));
        }
        Assert.False(File.Exists(Path.Combine(_dir, "wal.old.log")));
    }

    [Fact]
    public void Replay_sets_and_removes_records_keeps_list_order_and_skips_records_whose_container_is_gone()
    {
        var replay = new StateLogReplay(_ => JsonNode.Parse("""{"Queues":{"q":{"Messages":[{"Id":"1","Body":"a"},{"Id":"2","Body":"b"}]}},"Tables":{}}""")!.AsObject());
        replay.Record("sqs", """{"p":["Queues","q","Messages","3"],"k":"Id","v":{"Id":"3","Body":"c"}}""");
        replay.Record("sqs", """{"p":["Queues","q","Messages","1"],"k":"Id","v":null}""");
        replay.Record("sqs", """{"p":["Queues","q","Messages","2"],"k":"Id","v":{"Id":"2","Body":"b2"}}""");
        replay.Record("sqs", """{"p":["Queues","gone","Messages","9"],"k":"Id","v":{"Id":"9"}}""");
        replay.Record("sqs", """{"p":["Tables","t","Items","x"],"k":null,"v":{"id":{"S":"x"}}}""");
        var sqs = replay.Documents["sqs"];
        Assert.Equal("""{"Queues":{"q":{"Messages":[{"Id":"2","Body":"b2"},{"Id":"3","Body":"c"}]}},"Tables":{}}""", StateLogReplay.Serialize(sqs));

        // A snapshot replaces the document; records after it apply to the new one.
        replay.Snapshot("sqs", """{"Queues":{"q":{"Messages":[]}}}""");
        replay.Record("sqs", """{"p":["Queues","q","Messages","4"],"k":"Id","v":{"Id":"4"}}""");
        Assert.Equal("""{"Queues":{"q":{"Messages":[{"Id":"4"}]}}}""", StateLogReplay.Serialize(replay.Documents["sqs"]));
    }

    [Fact]
    public async Task A_torn_record_entry_at_the_end_of_the_log_is_ignored()
    {
        Dictionary<string, byte[]> crash;
        await using (var server = await Start())
        {
            using var dynamo = Dynamo(server);
            await CreateTableAsync(dynamo, "torn");
            await dynamo.PutItemAsync(new PutItemRequest { TableName = "torn", Item = Item("kept", "1") });
            crash = CrashImage();
        }
        crash[Log] = [.. crash[Log], .. Encoding.UTF8.GetBytes("0123abcd\tdynamodb\t@{\"p\":[\"Tables\",\"torn\",\"Items\",\"{\\\"id\\\"")];
        Restore(crash);
        await using (var server = await Start())
            {
            using var dynamo = Dynamo(server);
            Assert.Equal("1", await GetAsync(dynamo, "torn", "kept"));
        }
    }
}
