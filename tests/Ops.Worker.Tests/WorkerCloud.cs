using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Sqs;
using Ops.LocalCloud;

namespace Ops.Worker.Tests;

/// <summary>An in-process LocalCloud with the AWS clients a test needs to set up queues and the worker-log table, and to start real workers against
/// it.</summary>
public sealed class WorkerCloud : IAsyncLifetime
{
    public LocalCloudServer Server { get; private set; } = null!;
    internal SqsClient Sqs { get; private set; } = null!;
    internal IAmazonDynamoDB Dynamo { get; private set; } = null!;

    /// <summary>The worker the stack's local command runs (<see cref="TestWorker"/>).</summary>
    public static string WorkerDll => TestWorker.Dll;

    public async Task InitializeAsync()
    {
        Server = await LocalCloudServer.StartAsync(TestClouds.Options());
        // Many attempts: the test's own calls must get through while a test injects faults.
        var connection = TestClouds.Connection(Server.Url, 10);
        Sqs = new SqsClient(connection);
        Dynamo = AwsConnectionFactory.CreateDynamoDb(connection);
    }

    public async Task DisposeAsync()
    {
        Sqs.Dispose();
        Dynamo.Dispose();
        await Server.DisposeAsync();
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A work queue with its dead-letter queue and redrive policy, as create-queues makes them.</summary>
    internal async Task<(string Url, string DeadLetterUrl)> CreateQueueAsync(string name, int visibilityTimeoutSeconds, int maxReceiveCount)
    {
        var dlq = (await Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name + "-dlq" })).QueueUrl!;
        var dlqArn = (await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = dlq, AttributeNames = ["QueueArn"] })).Attributes!["QueueArn"];
        var url = (await Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new()
            {
                ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(),
                ["RedrivePolicy"] = new JsonObject { ["deadLetterTargetArn"] = dlqArn, ["maxReceiveCount"] = maxReceiveCount.ToString() }.ToJsonString(),
                ["SqsManagedSseEnabled"] = "true",
            },
        })).QueueUrl!;
        return (url, dlq);
    }

    /// <summary>The worker-log table in the original's schema (hash worker_uuid, range timestamp, GSI task-index).</summary>
    internal async Task CreateLogTableAsync(string name)
    {
        await Dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            SSESpecification = new SSESpecification { Enabled = true },
            AttributeDefinitions =
            [
                new AttributeDefinition("worker_uuid", ScalarAttributeType.S), new AttributeDefinition("timestamp", ScalarAttributeType.S),
                new AttributeDefinition("task", ScalarAttributeType.S),
            ],
            KeySchema = [new KeySchemaElement("worker_uuid", KeyType.HASH), new KeySchemaElement("timestamp", KeyType.RANGE)],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "task-index",
                    KeySchema = [new KeySchemaElement("task", KeyType.HASH), new KeySchemaElement("timestamp", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
        });
    }

    /// <summary>The rollout table as docs/drain-protocol.md describes it (hash pk, range sk): where workers write acknowledgements.</summary>
    internal async Task CreateRolloutTableAsync(string name)
    {
        await Dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
        });
    }

    /// <summary>The acknowledgement record of <paramref name="task"/> in <paramref name="rolloutId"/>, or null.</summary>
    internal async Task<Dictionary<string, AttributeValue>?> AckAsync(string table, string rolloutId, string task)
    {
        var result = await Dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            ConsistentRead = true,
            Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "ack#" + rolloutId }, ["sk"] = new() { S = task } },
        });
        return result.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>A kill message body in the drain protocol's new shape (a null field is left out).</summary>
    public static string KillBody(DateTimeOffset timestamp, string? rolloutId, string? targetTask, string? targetRevision, DateTimeOffset? expiresAt,
        string? ackTable)
    {
        var arguments = new JsonObject { ["timestamp"] = timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff+00:00") };
        if (rolloutId != null) arguments["rollout_id"] = rolloutId;
        if (targetTask != null) arguments["target_task"] = targetTask;
        if (targetRevision != null) arguments["target_revision"] = targetRevision;
        if (expiresAt is { } e) arguments["expires_at"] = e.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff+00:00");
        if (ackTable != null) arguments["ack_table"] = ackTable;
        return new JsonObject { ["module"] = "apps.sqsworker.worker", ["class"] = "WorkerShutDownAction", ["arguments"] = arguments }.ToJsonString();
    }

    /// <summary>Visible and in-flight messages, apart.</summary>
    internal async Task<(int Visible, int InFlight)> CountsAsync(string queueUrl)
    {
        var a = (await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        })).Attributes!;
        return (int.Parse(a["ApproximateNumberOfMessages"]), int.Parse(a["ApproximateNumberOfMessagesNotVisible"]));
    }

    /// <summary>Every item of the worker-log table.</summary>
    internal async Task<List<Dictionary<string, AttributeValue>>> LogItemsAsync(string table)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await Dynamo.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start != null);
        return items;
    }

    /// <summary>Sends the bodies in batches of ten; returns their message ids.</summary>
    internal async Task<List<string>> SendAsync(string queueUrl, IReadOnlyList<string> bodies)
    {
        var ids = new List<string>();
        foreach (var chunk in bodies.Chunk(10))
        {
            var result = await Sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = chunk.Select((body, i) => new SendMessageBatchRequestEntry { Id = $"m{i}", MessageBody = body }).ToList(),
            });
            Assert.Empty(result.Failed ?? []);
            ids.AddRange(result.Successful!.Select(s => s.MessageId!));
        }
        return ids;
    }

    /// <summary>Visible plus in-flight messages.</summary>
    internal async Task<int> CountAsync(string queueUrl)
    {
        var a = (await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        })).Attributes!;
        return int.Parse(a["ApproximateNumberOfMessages"]) + int.Parse(a["ApproximateNumberOfMessagesNotVisible"]);
    }

    /// <summary>The worker's environment as create-ecs and LocalCloud's task runner give it, with <paramref name="overrides"/> (a null value removes a
    /// variable).</summary>
    public Dictionary<string, string> WorkerEnvironment(string queue, string table, IDictionary<string, string?>? overrides = null)
    {
        var env = new Dictionary<string, string>
        {
            ["OPS_STAGE"] = "test",
            ["OPS_WORK_QUEUE"] = queue,
            ["OPS_WORKER_LOG_TABLE"] = table,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL"] = Server.Url.ToString(),
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
            if (v == null) env.Remove(k);
            else env[k] = v;
        return env;
    }

    /// <summary>Starts the real worker (dotnet Ops.Worker.dll) from a directory that is not its own.</summary>
    public ChildProcess StartWorker(Dictionary<string, string> environment)
    {
        // ChildProcess adds to the inherited environment; a variable the test removed must not leak in from the test host.
        foreach (var name in new[] { "OPS_STAGE", "OPS_WORK_QUEUE", "OPS_WORKER_LOG_TABLE", "AWS_REGION", "AWS_ENDPOINT_URL", "OPS_DRAIN", "ECS_AGENT_URI", "ECS_CONTAINER_METADATA_URI_V4" })
            environment.TryAdd(name, "");
        return new ChildProcess("dotnet", [WorkerDll], Path.GetTempPath(), environment);
    }
}
