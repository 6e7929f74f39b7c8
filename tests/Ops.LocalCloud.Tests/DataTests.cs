using Amazon.DynamoDBv2.Model;
using Ops.Aws;

namespace Ops.LocalCloud.Tests;

/// <summary>DynamoDB and S3 through the official AWS SDK clients and the aws CLI.</summary>
[Collection(LocalCloudCollection.Name)]
public class DataTests(LocalCloudFixture cloud)
{
    static Dictionary<string, AttributeValue> Item(params (string Key, AttributeValue Value)[] attributes) => attributes.ToDictionary(a => a.Key, a => a.Value);

    /// <summary>BatchWriteItem and BatchGetItem through the aws CLI and the official .NET SDK: puts and deletes across tables, projection, duplicates
    /// refused.</summary>
    [Fact]
    public async Task Batch_write_and_batch_get_work_through_the_aws_cli_and_the_sdk()
    {
        var table = LocalCloudFixture.Unique("batch");
        await cloud.Aws("dynamodb", "create-table", "--table-name", table, "--attribute-definitions", "AttributeName=pk,AttributeType=S",
            "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST");
        var puts = new System.Text.Json.Nodes.JsonArray(Enumerable.Range(1,
            25).Select(n => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonNode.Parse(
            $$$$$"""{"PutRequest":{"Item":{"pk":{"S":"k{{{{{n}}}}}"},"v":{"N":"{{{{{n}}}}}"},"note":{"S":"n{{{{{n}}}}}"}}}}""")).ToArray());
        var written = await cloud.Aws("dynamodb", "batch-write-item", "--request-items", new System.Text.Json.Nodes.JsonObject { [table] = puts }.ToJsonString());
        Assert.Empty(written!["UnprocessedItems"]!.AsObject());

        var got = await cloud.Aws("dynamodb", "batch-get-item", "--request-items",
            $$$$$"""{"{{{{{table}}}}}":{"Keys":[{"pk":{"S":"k3"}},{"pk":{"S":"k25"}},{"pk":{"S":"absent"}}],"ProjectionExpression":"pk, #v","ExpressionAttributeNames":{"#v":"v"}}}""");
        var items = got!["Responses"]![table]!.AsArray().OrderBy(x => (string?)x!["pk"]!["S"]).ToList();
        Assert.Equal(["k25", "k3"], items.Select(x => (string?)x!["pk"]!["S"]));
        Assert.All(items, x => Assert.Null(x!["note"]));
        Assert.Equal("3", (string?)items[1]!["v"]!["N"]);

        // The .NET SDK: a delete and a put in one batch, then a read of both.
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(cloud.Connection);
        await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [table] = [new WriteRequest { DeleteRequest = new DeleteRequest { Key = Item(("pk", new AttributeValue { S = "k1" })) } },
                                              new WriteRequest { PutRequest = new PutRequest { Item = Item(("pk", new AttributeValue { S = "k26" })) } }]
            },
        });
        var read = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [table] = new KeysAndAttributes { Keys = [Item(("pk", new AttributeValue { S = "k1" })),
                Item(("pk", new AttributeValue { S = "k26" }))] } },
        });
        Assert.Equal(["k26"], read.Responses[table].Select(x => x["pk"].S));

        var duplicate = await cloud.Cli("dynamodb", "batch-write-item", "--request-items",
            $$$$$"""{"{{{{{table}}}}}":[{"DeleteRequest":{"Key":{"pk":{"S":"k2"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"k2"}}}}]}""");
        Assert.NotEqual(0, duplicate.Code);
        Assert.Contains("Provided list of item keys contains duplicates", duplicate.Error);
        var tooMany = new System.Text.Json.Nodes.JsonArray(Enumerable.Range(1,
            26).Select(n => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonNode.Parse(
            $$$$$"""{"DeleteRequest":{"Key":{"pk":{"S":"x{{{{{n}}}}}"}}}}""")).ToArray());
        Assert.NotEqual(0, (await cloud.Cli("dynamodb", "batch-write-item", "--request-items", new System.Text.Json.Nodes.JsonObject { [table] = tooMany }.ToJsonString())).Code);
    }

    [Fact]
    public async Task A_lease_lock_is_taken_by_conditional_write_and_refused_while_held()
    {
        using var ddb = AwsConnectionFactory.CreateDynamoDb(cloud.Connection);
        var table = LocalCloudFixture.Unique("ops-locks");
        await ddb.CreateTableAsync(new CreateTableRequest { TableName = table, BillingMode = "PAY_PER_REQUEST", KeySchema = [new("lock", "HASH")],
            AttributeDefinitions = [new("lock", "S")] });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        PutItemRequest Take(string owner, long at) => new()
        {
            TableName = table,
            Item = Item(("lock", new AttributeValue("rollout-dev")), ("owner", new AttributeValue(owner)), ("expires", new AttributeValue { N = (at + 60).ToString() })),
            ConditionExpression = "attribute_not_exists(#l) OR #e < :now",
            ExpressionAttributeNames = new() { ["#l"] = "lock", ["#e"] = "expires" },
            ExpressionAttributeValues = new() { [":now"] = new AttributeValue { N = at.ToString() } },
        };
        await ddb.PutItemAsync(Take("run-1", now));
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => ddb.PutItemAsync(Take("run-2", now + 10)));
        await ddb.PutItemAsync(Take("run-2", now + 61));   // the first holder's lease expired
        var held = await ddb.GetItemAsync(table, Item(("lock", new AttributeValue("rollout-dev"))));
        Assert.Equal("run-2", held.Item["owner"].S);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => ddb.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table,
            Key = Item(("lock", new AttributeValue("rollout-dev"))),
            ConditionExpression = "#o = :me",
            ExpressionAttributeNames = new() { ["#o"] = "owner" },
            ExpressionAttributeValues = new() { [":me"] = new AttributeValue("run-1") },
        }));
    }

    [Fact]
    public async Task Updates_queries_on_an_index_filters_and_pages()
    {
        using var ddb = AwsConnectionFactory.CreateDynamoDb(cloud.Connection);
        var table = LocalCloudFixture.Unique("iotile-worker-logs");
        await ddb.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new("uuid", "HASH")],
            AttributeDefinitions = [new("uuid", "S"), new("status", "S"), new("ts", "N")],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "by-status", KeySchema = [new("status", "HASH"), new("ts", "RANGE")],
                Projection = new Projection { ProjectionType = "ALL" } }],
        });
        for (var n = 0; n < 5; n++)
            await ddb.PutItemAsync(table,
                Item(("uuid", new AttributeValue($"w{n}")), ("status", new AttributeValue(n < 3 ? "Running" : "ShutDown-0")), ("ts", new AttributeValue { N = n.ToString() })));

        var updated = await ddb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = Item(("uuid", new AttributeValue("w0"))),
            UpdateExpression = "SET #s = :s, acks = if_not_exists(acks, :zero) + :one, history = list_append(if_not_exists(history, :empty), :h) REMOVE ts",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new()
            {
                [":s"] = new AttributeValue("ShutDown-0"),
                [":zero"] = new AttributeValue { N = "0" },
                [":one"] = new AttributeValue { N = "1" },
                [":empty"] = new AttributeValue { L = [] },
                [":h"] = new AttributeValue { L = [new AttributeValue("drained")] },
            },
            ReturnValues = "ALL_NEW",
        });
        Assert.Equal(("ShutDown-0", "1", "drained"), (updated.Attributes["status"].S, updated.Attributes["acks"].N, updated.Attributes["history"].L[0].S));
        Assert.False(updated.Attributes.ContainsKey("ts"));

        var acked = await ddb.QueryAsync(new QueryRequest
        {
            TableName = table,
            IndexName = "by-status",
            KeyConditionExpression = "#s = :s AND ts BETWEEN :a AND :b",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue("ShutDown-0"), [":a"] = new AttributeValue { N = "0" }, [":b"] = new AttributeValue { N = "9" } },
            ScanIndexForward = false,
        });
        Assert.Equal(["w4", "w3"], acked.Items.Select(i => i["uuid"].S));

        var page1 = await ddb.ScanAsync(new ScanRequest { TableName = table, Limit = 3, FilterExpression = "begins_with(#s, :p)",
            ExpressionAttributeNames = new() { ["#s"] = "status" }, ExpressionAttributeValues = new() { [":p"] = new AttributeValue("Shut") } });
        var page2 = await ddb.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = page1.LastEvaluatedKey,
            FilterExpression = "begins_with(#s, :p)", ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":p"] = new AttributeValue("Shut") } });
        Assert.Equal(3, page1.ScannedCount);
        Assert.Equal(3, page1.Items.Count + page2.Items.Count);   // w0 (updated), w3, w4
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => ddb.DescribeTableAsync("no-such-table"));
    }

    [Fact]
    public async Task The_aws_cli_syncs_statics_into_s3_and_lists_them()
    {
        var dir = Directory.CreateTempSubdirectory("statics-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "css"));
        File.WriteAllText(Path.Combine(dir, "app.js"), "console.log('iotile');");
        File.WriteAllText(Path.Combine(dir, "css", "site.css"), "body{}");
        var bucket = LocalCloudFixture.Unique("iotile-statics").ToLowerInvariant();
        Assert.Equal(0, (await cloud.Cli("s3", "mb", $"s3://{bucket}")).Code);              // the high-level s3 commands print text, not JSON
        var sync = await cloud.Cli("s3", "sync", dir, $"s3://{bucket}/static");
        Assert.True(sync.Code == 0, sync.Error);
        var listed = await cloud.Aws("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "static/");
        Assert.Equal(["static/app.js", "static/css/site.css"], listed!["Contents"]!.AsArray().Select(o => (string)o!["Key"]!));
        var folders = await cloud.Aws("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "static/", "--delimiter", "/");
        Assert.Equal("static/css/", (string?)folders!["CommonPrefixes"]![0]!["Prefix"]);

        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        using (var get = await s3.GetObjectAsync(bucket, "static/app.js"))
            Assert.Equal("console.log('iotile');", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        var (code, _, error) = await cloud.Cli("s3api", "head-object", "--bucket", bucket, "--key", "nope");
        Assert.NotEqual(0, code);
        Assert.Contains("404", error);
        Assert.Equal(0, (await cloud.Cli("s3", "rb", $"s3://{bucket}", "--force")).Code);
        Directory.Delete(dir, true);
    }
}
