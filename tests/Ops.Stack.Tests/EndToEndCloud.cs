using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.CloudWatchLogs;
using Ops.Aws.Ecs;
using Ops.Aws.Sqs;
using Ops.LocalCloud;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Model;

namespace Ops.Stack.Tests;

/// <summary>
/// LocalCloud as <c>--cloud local</c> runs it for the fleet: a state directory (so every ECS task is a real process,
/// with pid files under <c>&lt;state&gt;/tasks</c>), a real docker-registry behind ECR, instant lifecycles; plus the
/// calls the end-to-end tests make to feed the workers and read what they did.
/// </summary>
public sealed class EndToEndCloud : IAsyncLifetime
{
    /// <summary>Worker data-plane calls (receive, delete, extend, worker log): the workers make them all the time, so "no mutating call" ignores
    /// them.</summary>
    static readonly HashSet<string> WorkerCalls =
    [
        "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:DeleteMessageBatch", "sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch",
        "dynamodb:PutItem", "dynamodb:UpdateItem",
    ];

    public string Root { get; } = Directory.CreateTempSubdirectory("ops-e2e-").FullName;

    public string State => Path.Combine(Root, "state");

    public LocalCloudServer Server { get; private set; } = null!;

    public AwsConnection Connection => TestClouds.Connection(Server.Url, 3, opsLocalCloud: true);

    /// <summary>The worker the stack's local command runs (<see cref="TestWorker"/>).</summary>
    public static string WorkerDll => TestWorker.Dll;

    public async Task InitializeAsync()
    {
        Server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            StateDirectory = State,
            Delays = LifecycleDelays.Instant,
            RunRegistry = true,
            RegistryPort = 0,
        });
        // Fail, never skip: without the real registry the image tests prove nothing.
        if (Server.Backends.Registry == null || Server.Backends.Images == null)
            throw new InvalidOperationException($"the local cloud runs no registry ({Server.RegistryStatus}); tests/run.sh installs docker-registry");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>A context for <paramref name="stack"/> as the fleet targets make it on <c>--cloud local</c>, waits short.</summary>
    public StageContext Context(StageStack stack, CapturedLog log, string? repositoryRoot = null) => new()
    {
        Connection = Connection,
        Stack = stack,
        Log = log,
        RepositoryRoot = repositoryRoot ?? FleetCloud.RepositoryRoot,
        PollInterval = TimeSpan.FromMilliseconds(100),
        WaitTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The stage <paramref name="stage"/> of a stack file given as YAML text, loaded and validated as <c>--stack</c> would.</summary>
    public static StageStack Load(string stage, string yaml) => StackLoader.Parse("e2e.stack.yml", yaml).For(stage);

    /// <summary>What create-ecs depends on (create-iam, create-queues, create-worker-log-table, create-ecr-repository), then create-ecs itself when
    /// asked.</summary>
    public async Task ProvisionAsync(StageStack stack, CapturedLog log, string? repositoryRoot = null, bool ecs = true)
    {
        await new Identity.IamProvisioner(Context(stack, log, repositoryRoot)).EnsureAsync(default);
        await new QueueProvisioner(Context(stack, log, repositoryRoot)).EnsureAsync(default);
        await new WorkerLogTableProvisioner(Context(stack, log, repositoryRoot)).EnsureAsync(default);
        await new RepositoryProvisioner(Context(stack, log, repositoryRoot)).EnsureAsync(default);
        if (ecs) await new EcsProvisioner(Context(stack, log, repositoryRoot)).EnsureAsync(default);
    }

    /// <summary>Mutating calls since <paramref name="since"/> (anything but Describe/List/Get), the workers' own data-plane calls left out.</summary>
    public List<string> MutationsSince(int since) => Server.Requests.Entries.Skip(since)
        .Select(e => $"{e.Service}:{e.Operation}")
        .Where(o => !WorkerCalls.Contains(o))
        .Where(o => !(o.Split(':')[1].StartsWith("Describe") || o.Split(':')[1].StartsWith("List") || o.Split(':')[1].StartsWith("Get"))).ToList();

    public async Task<string> QueueUrlAsync(string name)
    {
        using var sqs = new SqsClient(Connection);
        return (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name })).QueueUrl!;
    }

    /// <summary>Sends the bodies in batches of ten; returns their message ids.</summary>
    public async Task<List<string>> SendAsync(string queueUrl, IReadOnlyList<string> bodies)
    {
        using var sqs = new SqsClient(Connection);
        var ids = new List<string>();
        foreach (var chunk in bodies.Chunk(10))
        {
            var result = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = chunk.Select((body, i) => new SendMessageBatchRequestEntry { Id = $"m{i}", MessageBody = body }).ToList(),
            });
            Assert.Empty(result.Failed ?? []);
            ids.AddRange(result.Successful!.Select(s => s.MessageId!));
        }
        return ids;
    }

    /// <summary>Visible plus in-flight messages of the queue.</summary>
    public async Task<int> QueueDepthAsync(string queueUrl)
    {
        using var sqs = new SqsClient(Connection);
        var a = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        })).Attributes!;
        return int.Parse(a["ApproximateNumberOfMessages"]) + int.Parse(a["ApproximateNumberOfMessagesNotVisible"]);
    }

    /// <summary>Every item of the worker-log table.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> LogItemsAsync(string table)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(Connection);
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start != null);
        return items;
    }

    /// <summary>Polls the worker log until <paramref name="done"/> holds for its items (a minute at most); returns them.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> WaitForLogAsync(string table, Func<List<Dictionary<string, AttributeValue>>, bool> done,
        Func<List<Dictionary<string, AttributeValue>>, string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var items = await LogItemsAsync(table);
            if (done(items)) return items;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"the worker log {table} never got there: {describe(items)}");
            await Task.Delay(250);
        }
    }

    /// <summary>The service's tasks with <paramref name="desiredStatus"/>, described.</summary>
    public async Task<List<EcsTask>> TasksAsync(EcsSpec ecs, string desiredStatus = "RUNNING")
    {
        using var client = new EcsClient(Connection);
        var arns = (await client.ListTasksAsync(new ListTasksRequest { Cluster = ecs.Cluster, ServiceName = ecs.Service,
            DesiredStatus = desiredStatus })).TaskArns ?? [];
        if (arns.Count == 0) return [];
        return (await client.DescribeTasksAsync(new DescribeTasksRequest { Cluster = ecs.Cluster, Tasks = arns })).Tasks ?? [];
    }

    public async Task<EcsTask> DescribeTaskAsync(string cluster, string taskId)
    {
        using var client = new EcsClient(Connection);
        return (await client.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [taskId] })).Tasks!.Single();
    }

    /// <summary>Polls a task until its lastStatus is <paramref name="status"/> (a minute at most).</summary>
    public async Task<EcsTask> WaitForTaskAsync(string cluster, string taskId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var task = await DescribeTaskAsync(cluster, taskId);
            if (task.LastStatus == status) return task;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"task {taskId} never became {status}: it is {task.LastStatus} ({task.StoppedReason})");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls the service until <paramref name="count"/> of its tasks run (a minute at most); returns them.</summary>
    public async Task<List<EcsTask>> WaitForRunningAsync(EcsSpec ecs, int count, Func<EcsTask, bool>? which = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var running = (await TasksAsync(ecs)).Where(t => t.LastStatus == "RUNNING" && (which == null || which(t))).ToList();
            if (running.Count >= count) return running;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"service {ecs.Service} never ran {count} task(s); {running.Count} run");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls the task's awslogs stream (worker/&lt;container&gt;/&lt;task&gt;) until a line contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForTaskLogAsync(EcsSpec ecs, string taskId, string text)
    {
        using var logs = new CloudWatchLogsClient(Connection);
        var stream = $"{EcsProvisioner.StreamPrefix}/{ecs.ContainerName}/{taskId}";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var seen = new List<string>();
        while (true)
        {
            try
            {
                var events = await logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = ecs.LogGroup, LogStreamName = stream,
                    StartFromHead = true });
                seen = (events.Events ?? []).Select(e => e.Message ?? "").ToList();
                if (seen.FirstOrDefault(m => m.Contains(text)) is { } line) return line;
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"no line of {ecs.LogGroup} {stream} contains '{text}'; it has:\n{string.Join('\n', seen)}");
            await Task.Delay(200);
        }
    }

    /// <summary>The container processes the task runner keeps pid files for (<c>&lt;state&gt;/tasks/&lt;task&gt;.&lt;container&gt;.pid</c>), by task
    /// id.</summary>
    public Dictionary<string, int> TaskPids()
    {
        var directory = Path.Combine(State, "tasks");
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, "*.pid")
            .Select(path => JsonNode.Parse(File.ReadAllText(path))!)
            .ToDictionary(file => (string)file["Task"]!, file => (int)file["Pid"]!);
    }

    /// <summary>Whether a process with this pid runs (a zombie does not count).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    public static string TaskId(EcsTask task) => task.TaskArn!.Split('/')[^1];

    public static string? Runner(EcsTask task) => task.Attributes?.FirstOrDefault(a => a.Name == "ops.runner")?.Value;
}

[CollectionDefinition(Name)]
public sealed class EndToEndCloudCollection : ICollectionFixture<EndToEndCloud>
{
    public const string Name = "fleet end to end";
}
