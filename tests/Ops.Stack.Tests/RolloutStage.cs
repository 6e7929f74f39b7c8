using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Aws.Sqs;
using Ops.Stack.Model;
using Xunit.Abstractions;

namespace Ops.Stack.Tests;

/// <summary>
/// One stage of a rollout test: its stack file (real Ops.Worker processes from local.command, short timeouts), the tool
/// run on it through <c>./build.sh</c> against the collection's LocalCloud, and reads of what the rollout and the workers
/// left behind: the rollout record, acknowledgements, the worker log, the service and its tasks.
/// </summary>
public sealed class RolloutStage
{
    /// <summary>The worker-log task of a drain acknowledgement (docs/drain-protocol.md).</summary>
    public const string ShutDownTask = "apps.sqsworker.worker.WorkerShutDownAction";

    readonly EndToEndCloud _cloud;
    readonly ITestOutputHelper _output;
    readonly string _extra;
    readonly string _command;

    /// <summary>A stage named <paramref name="name"/> draining with <paramref name="strategy"/>; <paramref name="ecsEnvironment"/> goes into
    /// ecs.environment.</summary>
    /// <remarks><paramref name="command"/>: the workers' local.command as a YAML flow list (default: the test's Ops.Worker build).</remarks>
    public RolloutStage(EndToEndCloud cloud, ITestOutputHelper output, string name, string strategy, int desiredCount = 2, string extra = "",
        string? command = null)
    {
        _command = command ?? $"[dotnet, \"{EndToEndCloud.WorkerDll}\"]";
        _cloud = cloud;
        _output = output;
        _extra = extra;
        Name = name;
        Strategy = strategy;
        DesiredCount = desiredCount;
        StackPath = Path.Combine(cloud.Root, $"{name}.stack.yml");
        WriteStack();
    }

    public string Name { get; }

    public string Strategy { get; }

    public int DesiredCount { get; }

    /// <summary>The stack file, passed with --stack.</summary>
    public string StackPath { get; }

    /// <summary>The rollout table: the stack leaves rollout.table at its default, iotile-rollouts-{stage}.</summary>
    public string RolloutTable => $"iotile-rollouts-{Name}";

    /// <summary>The stage as the tool loads it.</summary>
    public StageStack Stack => EndToEndCloud.Load(Name, File.ReadAllText(StackPath));

    /// <summary>Test calls retry as much as the build's own (10 attempts): the fault-injection test throttles them too.</summary>
    public AwsConnection Connection => _cloud.Connection with { MaxAttempts = 10 };

    /// <summary>Writes the stack file; <paramref name="environment"/> adds to ecs.environment (a changed stack is a new revision).</summary>
    public void WriteStack(string environment = "")
    {
        var variables = "{OPS_WAIT_SECONDS: \"1\"" + environment + "}";
        File.WriteAllText(StackPath, $$"""
            stages:
              {{Name}}:
                repository: {name: {{Name}}-worker}
                local: {command: {{_command}}, prepare: []}
                worker: {drain: {{Strategy}}, longest-message: 20s}
                queues:
                  work: {visibility-timeout: 30s}
                rollout: {drain-timeout: 30s, update-timeout: 60s}
                ecs:
                  desired-count: {{DesiredCount}}
                  stop-timeout: 15s
                  environment: {{variables}}
            {{_extra}}
            """);
    }

    /// <summary>The arguments every run gets: this stage, its stack file, the collection's LocalCloud.</summary>
    public List<string> Args(string target, params string[] more) =>
        [target, "--stage", Name, "--stack", StackPath, "--endpoint-url", _cloud.Server.Url.ToString(), .. more];

    /// <summary>deploy-worker with build-docker skipped: on LocalCloud the workers run the stack's local.command, not an image.</summary>
    public List<string> DeployArgs(params string[] more) => Args("deploy-worker", [.. more, "--skip", "build-docker"]);

    /// <summary>Runs the tool on this stage; its output goes to the test output.</summary>
    public async Task<CliRun> RunAsync(List<string> args, TimeSpan? timeout = null)
    {
        var run = await OpsCli.RunAsync(args, timeout);
        _output.WriteLine(run.ToString());
        return run;
    }

    public Task<CliRun> RunAsync(string target, params string[] more) => RunAsync(Args(target, more));

    /// <summary>create-ecs (and what it depends on), then waits until the desired workers run.</summary>
    public async Task<List<EcsTask>> CreateAsync()
    {
        var run = await RunAsync("create-ecs");
        Assert.True(run.ExitCode == 0, run.ToString());
        return await _cloud.WaitForRunningAsync(Stack.Ecs, DesiredCount);
    }

    public Task<string> WorkQueueUrlAsync() => _cloud.QueueUrlAsync(Stack.Queues.Work.Name);

    /// <summary>
    /// A steady stream of Sleep messages (50–300 ms) on the work queue, started: one every 200 ms, what one worker keeps up
    /// with, so the queue does not grow behind the kill messages (SQS keeps no order: a kill put back for its target can
    /// wait behind a backlog, and a stream above the fleet's capacity makes one without end).
    /// </summary>
    public async Task<SteadyLoad> StartLoadAsync()
    {
        var load = new SteadyLoad(Connection, await WorkQueueUrlAsync(), TimeSpan.FromMilliseconds(200), batch: 1);
        load.Start();
        return load;
    }

    /// <summary>The service as DescribeServices answers.</summary>
    public async Task<Service> ServiceAsync()
    {
        using var ecs = new EcsClient(Connection);
        return (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = Stack.Ecs.Cluster,
            Services = [Stack.Ecs.Service] })).Services!.Single();
    }

    /// <summary>The running tasks of the service.</summary>
    public async Task<List<EcsTask>> RunningAsync() => (await _cloud.TasksAsync(Stack.Ecs)).Where(t => t.LastStatus == "RUNNING").ToList();

    /// <summary>Waits until the service runs exactly the desired count, all on <paramref name="taskDefinition"/>, one deployment.</summary>
    public async Task<List<EcsTask>> WaitSteadyOnAsync(string taskDefinition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var service = await ServiceAsync();
            var running = await RunningAsync();
            if (service.TaskDefinition == taskDefinition && service.Deployments?.Count == 1 && running.Count == DesiredCount
                && running.All(t => t.TaskDefinitionArn == taskDefinition))
                return running;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"service {service.ServiceName} never ran {DesiredCount} task(s) of {taskDefinition} alone: it is on {service.TaskDefinition} " +
                                                   $"with {service.Deployments?.Count} deployment(s), running {string.Join(", ", running.Select(t => $"{EndToEndCloud.TaskId(t)} ({Revision(t.TaskDefinitionArn)})"))}");
            await Task.Delay(200);
        }
    }

    /// <summary>The newest rollout record (Query pk=rollout, newest first, one), or null.</summary>
    public async Task<Dictionary<string, AttributeValue>?> NewestRecordAsync()
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(Connection);
        try
        {
            var page = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = RolloutTable,
                KeyConditionExpression = "pk = :pk",
                ScanIndexForward = false,
                Limit = 1,
                ConsistentRead = true,
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "rollout" } },
            });
            return page.Items is { Count: > 0 } items ? items[0] : null;
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every rollout record, oldest first.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> RecordsAsync()
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(Connection);
        var page = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = RolloutTable,
            KeyConditionExpression = "pk = :pk",
            ConsistentRead = true,
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "rollout" } },
        });
        return page.Items ?? [];
    }

    /// <summary>The acknowledgement records of a rollout (pk = ack#rollout_id), by task id.</summary>
    public async Task<Dictionary<string, Dictionary<string, AttributeValue>>> AcksAsync(string rolloutId)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(Connection);
        var page = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = RolloutTable,
            KeyConditionExpression = "pk = :pk",
            ConsistentRead = true,
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "ack#" + rolloutId } },
        });
        return (page.Items ?? []).ToDictionary(i => i["sk"].S, i => i);
    }

    /// <summary>Polls the newest record until its phase is one of <paramref name="phases"/> (or the run ended); returns the phase seen.</summary>
    public async Task<string?> WaitForPhaseAsync(ChildProcess run, TimeSpan timeout, params string[] phases)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && EndToEndCloud.Alive(run.Id))
        {
            var phase = (await NewestRecordAsync())?.GetValueOrDefault("phase")?.S;
            if (phase != null && phases.Contains(phase)) return phase;
            await Task.Delay(25);
        }
        return (await NewestRecordAsync())?.GetValueOrDefault("phase")?.S;
    }

    /// <summary>
    /// Stops <paramref name="load"/>, then waits until every message it sent has a <c>done</c> item in the worker log; prints
    /// how many were sent, processed and delivered more than once (and which). Returns the worker log.
    /// </summary>
    public async Task<List<Dictionary<string, AttributeValue>>> AssertAllProcessedAsync(SteadyLoad load, IEnumerable<string>? alsoSent = null)
    {
        var sent = (await load.StopAsync()).Concat(alsoSent ?? []).ToList();
        Assert.NotEmpty(sent);
        var table = Stack.WorkerLogTable;
        var items = await _cloud.WaitForLogAsync(table,
            all => DoneIds(all).IsSupersetOf(sent),
            all => $"{sent.Count - DoneIds(all).Intersect(sent).Count()} of {sent.Count} messages never done: " +
                   string.Join(", ", sent.Except(DoneIds(all)).Take(10)));
        var deliveries = items.Where(i => i.ContainsKey("message_id") && sent.Contains(i["message_id"].S)).GroupBy(i => i["message_id"].S).ToList();
        var duplicates = deliveries.Where(g => g.Count() > 1).ToList();
        _output.WriteLine($"messages: {sent.Count} sent, {deliveries.Count(g => g.Any(i => i["status"].S == "done"))} processed, " +
                          $"{duplicates.Count} delivered more than once ({duplicates.Sum(g => g.Count() - 1)} extra deliveries, " +
                          $"{duplicates.Count(g => g.Count(i => i["status"].S == "done") > 1)} done twice); {load.Retries} send retries");
        foreach (var d in duplicates)
            _output.WriteLine($"  duplicate {d.Key}: {string.Join(", ", d.Select(i => $"{i["status"].S} by {i["server"].S} at {i["timestamp"].S}"))}");
        return items;
    }

    static HashSet<string> DoneIds(List<Dictionary<string, AttributeValue>> items) =>
        items.Where(i => i["status"].S == "done" && i.ContainsKey("message_id")).Select(i => i["message_id"].S).ToHashSet();

    /// <summary>
    /// No worker took work after it acknowledged: no worker-log item of a task (other than its ShutDown-0) is newer than the
    /// task's ack record, nor newer than the moment it stopped.
    /// </summary>
    public static void AssertNoWorkAfter(List<Dictionary<string, AttributeValue>> items, IReadOnlyDictionary<string, DateTimeOffset> quietSince, string what)
    {
        var late = items.Where(i => i.TryGetValue("server", out var s) && quietSince.ContainsKey(s.S) && i["task"].S != ShutDownTask
                                    && LogTime(i) > quietSince[i["server"].S]).ToList();
        Assert.True(late.Count == 0, $"{late.Count} message(s) taken by a worker after it {what}: " +
                                     string.Join("; ", late.Take(10).Select(i => $"{i["message_id"].S} {i["status"].S} by {i["server"].S} at {i["timestamp"].S} " +
                                                                                 $"(after {quietSince[i["server"].S]:O})")));
    }

    /// <summary>A worker-log timestamp (<c>yyyy-MM-ddTHH:mm:ss.ffffff+0000</c>).</summary>
    public static DateTimeOffset LogTime(Dictionary<string, AttributeValue> item)
    {
        var text = item["timestamp"].S;
        if (text.Length > 5 && (text[^5] == '+' || text[^5] == '-')) text = text[..^2] + ":" + text[^2..];
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>family:revision of a task-definition ARN.</summary>
    public static string Revision(string? arn) => arn?.Split('/')[^1] ?? "(none)";

    /// <summary>A kill message body as docs/drain-protocol.md shapes it.</summary>
    public static string KillMessage(string? rolloutId, string? targetTask, string? targetRevision, DateTimeOffset timestamp, DateTimeOffset? expiresAt,
        string? ackTable)
    {
        var arguments = new JsonObject { ["timestamp"] = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture) };
        if (rolloutId != null) arguments["rollout_id"] = rolloutId;
        if (targetTask != null) arguments["target_task"] = targetTask;
        if (targetRevision != null) arguments["target_revision"] = targetRevision;
        if (expiresAt is { } e) arguments["expires_at"] = e.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
        if (ackTable != null) arguments["ack_table"] = ackTable;
        return new JsonObject { ["module"] = "apps.sqsworker.worker", ["class"] = "WorkerShutDownAction", ["arguments"] = arguments }.ToJsonString();
    }

    /// <summary>Sends one message body to the work queue; returns its id.</summary>
    public async Task<string> SendAsync(string body)
    {
        using var sqs = new SqsClient(Connection);
        return (await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = await WorkQueueUrlAsync(), MessageBody = body })).MessageId!;
    }

    /// <summary>ECS UpdateService calls LocalCloud served since <paramref name="since"/>.</summary>
    public int UpdateServiceCallsSince(DateTimeOffset since) =>
        _cloud.Server.Requests.Entries.Count(e => e.At >= since && e.Service == "ecs" && e.Operation == "UpdateService");

    /// <summary>
    /// When the task's worker logged that it got SIGTERM (its own clock, rounded up to the next millisecond), or null when
    /// it never did (killed, or no log). ECS records a task as stopping a moment before the signal reaches the process, and
    /// a receive already under way in that moment may still start its message; from this line on the worker takes none.
    /// </summary>
    public async Task<DateTimeOffset?> SigtermSeenAtAsync(string task)
    {
        using var logs = new Ops.Aws.CloudWatchLogs.CloudWatchLogsClient(Connection);
        try
        {
            var events = await logs.GetLogEventsAsync(new Ops.Aws.CloudWatchLogs.GetLogEventsRequest
            {
                LogGroupName = Stack.Ecs.LogGroup,
                LogStreamName = $"{Fleet.EcsProvisioner.StreamPrefix}/{Stack.Ecs.ContainerName}/{task}",
                StartFromHead = true,
            });
            var line = (events.Events ?? []).Select(e => e.Message ?? "").FirstOrDefault(m => m.Contains(" SIGTERM received", StringComparison.Ordinal));
            return line != null && DateTimeOffset.TryParse(line.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at.AddMilliseconds(1) : null;
        }
        catch (Amazon.Runtime.AmazonServiceException)
        {
            return null;
        }
    }

    /// <summary>The lines of the tasks' awslogs streams that contain <paramref name="text"/> (for failure messages).</summary>
    public async Task<string> WorkerLinesAsync(IEnumerable<string> tasks, string text)
    {
        using var logs = new Ops.Aws.CloudWatchLogs.CloudWatchLogsClient(Connection);
        var lines = new List<string>();
        foreach (var task in tasks)
        {
            try
            {
                var events = await logs.GetLogEventsAsync(new Ops.Aws.CloudWatchLogs.GetLogEventsRequest
                {
                    LogGroupName = Stack.Ecs.LogGroup,
                    LogStreamName = $"{Fleet.EcsProvisioner.StreamPrefix}/{Stack.Ecs.ContainerName}/{task}",
                    StartFromHead = true,
                });
                lines.AddRange((events.Events ?? []).Select(e => e.Message ?? "").Where(m => m.Contains(text)).Select(m => $"  {task}: {m}"));
            }
            catch (Amazon.Runtime.AmazonServiceException e)
            {
                lines.Add($"  {task}: no log ({e.ErrorCode})");
            }
        }
        // A kill message put back (rule 4) counts as a receive: after queues.work.max-receive-count it lands in the dead-letter queue.
        using var sqs = new SqsClient(Connection);
        var dlq = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = Stack.Queues.Work.DeadLetterName })).QueueUrl!;
        var dead = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = dlq, MaxNumberOfMessages = 10, VisibilityTimeout = 0 })).Messages
            ?? [];
        return $"\nworker lines with '{text}':\n{string.Join('\n', lines)}\nin the dead-letter queue: {string.Join("\n  ", dead.Select(m => $"{m.MessageId} {m.Body}"))}";
    }

    /// <summary>describe-ecs --output json, parsed.</summary>
    public async Task<JsonNode> DescribeJsonAsync()
    {
        var run = await RunAsync("describe-ecs", "--output", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonNode.Parse(run.Out)!;
    }

    /// <summary>terminate-ecs, so no worker of this stage outlives the test.</summary>
    public async Task TerminateAsync()
    {
        var run = await RunAsync("terminate-ecs");
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
