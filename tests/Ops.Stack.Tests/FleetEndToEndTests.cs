using Amazon.DynamoDBv2.Model;
using Ops.Aws.Ecr;
using Ops.Aws.Ecs;
using Ops.Stack.Fleet;
using Ops.Stack.Images;

namespace Ops.Stack.Tests;

/// <summary>
/// Issue 9's fleet end to end on LocalCloud: create-ecs starts real Ops.Worker processes (the stack's local command, or
/// the image build-docker pushed to the real registry through podman), they consume real messages and write the worker
/// log; a worker killed with -9 is replaced and its message redelivered; an image that is not there stops the task with
/// CannotPullContainerError; terminate-ecs leaves no worker process.
/// </summary>
[Collection(SecondEndToEndCloudCollection.Name)]
public sealed class FleetEndToEndTests(EndToEndCloud cloud)
{
    static string Sleep(int ms) => "{\"module\":\"ops.worker\",\"class\":\"Sleep\",\"arguments\":{\"ms\":" + ms + "}}";

    /// <summary>A stage whose workers run the test's Ops.Worker build as the stack's local command.</summary>
    static string LocalStack(string stage, string extra) => $$"""
        stages:
          {{stage}}:
            repository: {name: {{stage}}-worker}
            local: {command: [dotnet, "{{EndToEndCloud.WorkerDll}}"], prepare: []}
        {{extra}}
        """;

    static string MessageId(Dictionary<string, AttributeValue> item) => item["message_id"].S;

    static string Status(Dictionary<string, AttributeValue> item) => item["status"].S;

    /// <summary>
    /// Every sent message has exactly one <c>done</c> item; other items of a message (duplicates) are allowed only as
    /// redeliveries, i.e. deliveries that did not finish. Returns the number of duplicates; the message names them.
    /// </summary>
    static int AssertEachProcessedOnce(IReadOnlyCollection<string> sent, List<Dictionary<string, AttributeValue>> items)
    {
        var byMessage = items.GroupBy(MessageId).ToDictionary(g => g.Key, g => g.ToList());
        var duplicates = byMessage.Where(g => g.Value.Count > 1).ToList();
        var report = $"{sent.Count} sent, {byMessage.Count} message ids logged in {items.Count} items, {duplicates.Sum(d => d.Value.Count - 1)} duplicate item(s)" +
                     string.Concat(duplicates.Select(d => $"\n  {d.Key}: {string.Join(", ", d.Value.Select(i => $"{Status(i)} by {i["server"].S}"))}"));
        Assert.True(sent.Order().SequenceEqual(byMessage.Keys.Order()), $"logged message ids differ from those sent: {report}");
        Assert.True(byMessage.Values.All(v => v.Count(i => Status(i) == "done") == 1), $"a message was not done exactly once: {report}");
        Assert.True(duplicates.All(d => d.Value.Count(i => Status(i) != "done") == d.Value.Count - 1), $"a duplicate is not a redelivery: {report}");
        return duplicates.Sum(d => d.Value.Count - 1);
    }

    /// <summary>Waits until every id has a <c>done</c> item.</summary>
    Task<List<Dictionary<string, AttributeValue>>> WaitAllDone(string table, IReadOnlyCollection<string> ids) =>
        cloud.WaitForLogAsync(table,
            items => items.Where(i => Status(i) == "done").Select(MessageId).ToHashSet().IsSupersetOf(ids),
            items => $"{ids.Count - items.Where(i => Status(i) == "done").Select(MessageId).Intersect(ids).Count()} of {ids.Count} messages not done; statuses: " +
                     string.Join(", ", items.GroupBy(Status).Select(g => $"{g.Count()} {g.Key}")));

    /// <summary>terminate-ecs: afterwards no worker process of <paramref name="pids"/> is alive and no pid file is left; the rest stays.</summary>
    async Task TerminateAndCheck(Model.StageStack stack, IReadOnlyCollection<int> pids, string? repositoryRoot = null)
    {
        Assert.NotEmpty(pids);
        Assert.All(pids, pid => Assert.True(EndToEndCloud.Alive(pid), $"worker pid {pid} is not running before terminate-ecs"));
        var log = new CapturedLog();
        await new FleetTerminator(cloud.Context(stack, log, repositoryRoot)).TerminateAsync(default);

        Assert.All(pids, pid => Assert.False(EndToEndCloud.Alive(pid), $"worker pid {pid} outlived terminate-ecs:\n{log.Text}"));
        Assert.Empty(cloud.TaskPids().Keys.Intersect((await cloud.TasksAsync(stack.Ecs, "STOPPED")).Select(EndToEndCloud.TaskId)));
        Assert.Empty(await cloud.TasksAsync(stack.Ecs));
        // Kept: cluster, queues, repository, worker-log table.
        var url = cloud.Server.Url;
        Assert.Equal("ACTIVE", (await AwsCli.Run(url, "ecs", "describe-clusters", "--clusters", stack.Ecs.Cluster))!["clusters"]![0]!["status"]!.ToString());
        await AwsCli.Run(url, "sqs", "get-queue-url", "--queue-name", stack.Queues.Work.Name);
        await AwsCli.Run(url, "sqs", "get-queue-url", "--queue-name", stack.Queues.Report.Name);
        await AwsCli.Run(url, "ecr", "describe-repositories", "--repository-names", stack.Repository.Name);
        Assert.Equal("ACTIVE", (await AwsCli.Run(url, "dynamodb", "describe-table", "--table-name", stack.WorkerLogTable))!["Table"]!["TableStatus"]!.ToString());
    }

    [Fact]
    public async Task Three_local_command_workers_consume_a_stream_of_200_messages_sent_while_they_start_each_once()
    {
        var stack = EndToEndCloud.Load("e2estream", LocalStack("e2estream", "    ecs: {desired-count: 3}"));
        Assert.Equal(3, stack.Ecs.DesiredCount);
        var log = new CapturedLog();
        await cloud.ProvisionAsync(stack, log, ecs: false);
        var url = await cloud.QueueUrlAsync(stack.Queues.Work.Name);

        // The first half goes while create-ecs starts the workers; the second once all three said they started.
        var sent = new List<string>();
        var sending = Task.Run(async () =>
        {
            foreach (var batch in Enumerable.Range(0, 100).Select(i => Sleep(i % 5)).Chunk(10))
            {
                sent.AddRange(await cloud.SendAsync(url, batch));
                await Task.Delay(50);
            }
        });
        await new EcsProvisioner(cloud.Context(stack, log)).EnsureAsync(default);
        await sending;

        var tasks = await cloud.WaitForRunningAsync(stack.Ecs, 3);
        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("local-command", EndToEndCloud.Runner(t)));
        foreach (var task in tasks) await cloud.WaitForTaskLogAsync(stack.Ecs, EndToEndCloud.TaskId(task), $"worker {EndToEndCloud.TaskId(task)} started: stage e2estream");
        sent.AddRange(await cloud.SendAsync(url, Enumerable.Range(0, 100).Select(_ => Sleep(150)).ToList()));
        Assert.Equal(200, sent.Distinct().Count());

        var items = await WaitAllDone(stack.WorkerLogTable, sent);
        AssertEachProcessedOnce(sent, items);
        var taskIds = tasks.Select(EndToEndCloud.TaskId).ToHashSet();
        var servers = items.GroupBy(i => i["server"].S).ToDictionary(g => g.Key, g => g.Count());
        var spread = string.Join(", ", servers.Select(s => $"{s.Key}: {s.Value}"));
        Assert.True(servers.Keys.ToHashSet().SetEquals(taskIds), $"the worker log's servers are not the service's three tasks: {spread}");
        Assert.Equal(0, await cloud.QueueDepthAsync(url));

        var pids = cloud.TaskPids();
        Assert.True(taskIds.IsSubsetOf(pids.Keys), $"pid files: {string.Join(", ", pids.Keys)}");
        await TerminateAndCheck(stack, taskIds.Select(t => pids[t]).ToList());
    }

    [Fact]
    public async Task Workers_run_as_their_task_role_and_one_whose_role_may_not_delete_messages_fails_visibly_naming_the_action()
    {
        // Allowed: the generated role lets the worker receive, log and delete.
        var stack = EndToEndCloud.Load("e2erole", LocalStack("e2erole", "    ecs: {desired-count: 1}"));
        await cloud.ProvisionAsync(stack, new CapturedLog());
        var task = EndToEndCloud.TaskId((await cloud.WaitForRunningAsync(stack.Ecs, 1)).Single());
        var url = await cloud.QueueUrlAsync(stack.Queues.Work.Name);
        var sent = await cloud.SendAsync(url, [Sleep(1)]);
        AssertEachProcessedOnce(sent, await WaitAllDone(stack.WorkerLogTable, sent));
        Assert.Equal(0, await cloud.QueueDepthAsync(url));
        var credentials = await AwsCli.Run(cloud.Server.Url, "ecs", "describe-task-definition", "--task-definition", stack.Ecs.TaskFamily);
        Assert.Equal("arn:aws:iam::123456789012:role/iotile-worker-e2erole", (string?)credentials!["taskDefinition"]!["taskRoleArn"]);

        // Denied: a stack statement takes sqs:DeleteMessage away; the worker says so, naming the action, and the message stays.
        var denied = EndToEndCloud.Load("e2edeny", LocalStack("e2edeny", """
                ecs: {desired-count: 1}
                iam: {worker-statements: ["Deny sqs:DeleteMessage arn:aws:sqs:us-east-1:123456789012:iotile-worker-e2edeny"]}
            """));
        await cloud.ProvisionAsync(denied, new CapturedLog());
        var deniedTask = EndToEndCloud.TaskId((await cloud.WaitForRunningAsync(denied.Ecs, 1)).Single());
        var deniedUrl = await cloud.QueueUrlAsync(denied.Queues.Work.Name);
        await cloud.SendAsync(deniedUrl, [Sleep(1)]);
        var line = await cloud.WaitForTaskLogAsync(denied.Ecs, deniedTask, "sqs:DeleteMessage");
        Assert.Contains("AccessDenied", line);
        Assert.Contains("assumed-role/iotile-worker-e2edeny/", line);
        Assert.Contains(File.ReadAllLines(Path.Combine(cloud.State, "iam-denied.log")), l => l.Contains("iotile-worker-e2edeny") && l.Contains("sqs:DeleteMessage"));
        Assert.Equal(1, await cloud.QueueDepthAsync(deniedUrl));

        var pids = cloud.TaskPids();
        await TerminateAndCheck(stack, [pids[task]]);
        await TerminateAndCheck(denied, [pids[deniedTask]]);
    }

    [Fact]
    public async Task A_worker_killed_with_sigkill_is_replaced_and_its_message_redelivered_after_the_visibility_timeout()
    {
        var stack = EndToEndCloud.Load("e2ekill", LocalStack("e2ekill", """
                queues: {work: {visibility-timeout: 3s}}
                worker: {longest-message: 2s}
                ecs: {desired-count: 1}
            """));
        Assert.Equal(3, stack.Queues.Work.VisibilityTimeoutSeconds);
        await cloud.ProvisionAsync(stack, new CapturedLog());
        var first = EndToEndCloud.TaskId((await cloud.WaitForRunningAsync(stack.Ecs, 1)).Single());
        var url = await cloud.QueueUrlAsync(stack.Queues.Work.Name);

        var id = (await cloud.SendAsync(url, [Sleep(4000)])).Single();
        await cloud.WaitForLogAsync(stack.WorkerLogTable, items => items.Any(i => MessageId(i) == id && Status(i) == "executing"), items => $"{items.Count} items, none executing {id}");
        var pid = cloud.TaskPids()[first];
        var (code, _, error) = await ChildProcess.Run("kill", ["-9", pid.ToString()], Path.GetTempPath());
        Assert.True(code == 0, error);

        var stopped = await cloud.WaitForTaskAsync(stack.Ecs.Cluster, first, "STOPPED");
        Assert.Equal(137, stopped.Containers!.Single().ExitCode); // 128 + SIGKILL, as ECS reports it
        Assert.Equal("EssentialContainerExited", stopped.StopCode);
        Assert.False(EndToEndCloud.Alive(pid));
        var replacement = EndToEndCloud.TaskId((await cloud.WaitForRunningAsync(stack.Ecs, 1, t => EndToEndCloud.TaskId(t) != first)).Single());

        var items = await cloud.WaitForLogAsync(stack.WorkerLogTable, items => items.Any(i => MessageId(i) == id && Status(i) == "done"), items => $"{id} never done: {string.Join(", ", items.Select(Status))}");
        var delivered = items.Where(i => MessageId(i) == id).OrderBy(i => i["timestamp"].S).ToList();
        Assert.Equal(1, AssertEachProcessedOnce([id], items));
        Assert.Equal(("executing", first), (Status(delivered[0]), delivered[0]["server"].S)); // the killed delivery never finished
        Assert.Equal(("done", replacement), (Status(delivered[1]), delivered[1]["server"].S));
        Assert.Equal(0, await cloud.QueueDepthAsync(url));

        await TerminateAndCheck(stack, [cloud.TaskPids()[replacement]]);
    }

    [Fact]
    public async Task A_task_whose_image_is_not_in_the_registry_stops_with_CannotPullContainerError()
    {
        var stack = EndToEndCloud.Load("e2epull", LocalStack("e2epull", ""));
        await cloud.ProvisionAsync(stack, new CapturedLog(), ecs: false);
        var uri = (await AwsCli.Run(cloud.Server.Url, "ecr", "describe-repositories", "--repository-names", stack.Repository.Name))!["repositories"]![0]!["repositoryUri"]!.ToString();
        var image = $"{uri}@sha256:{new string('0', 64)}";

        using var ecs = new EcsClient(cloud.Connection);
        await ecs.CreateClusterAsync(new CreateClusterRequest { ClusterName = stack.Ecs.Cluster });
        var definition = (await ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest
        {
            Family = stack.Ecs.TaskFamily,
            ContainerDefinitions = [new ContainerDefinition { Name = "worker", Image = image, Memory = 128, Essential = true }],
        })).TaskDefinition!.TaskDefinitionArn;
        var run = await ecs.RunTaskAsync(new RunTaskRequest { Cluster = stack.Ecs.Cluster, TaskDefinition = definition, LaunchType = "FARGATE" });
        var id = EndToEndCloud.TaskId(run.Tasks!.Single());

        var task = await cloud.WaitForTaskAsync(stack.Ecs.Cluster, id, "STOPPED");
        Assert.Equal("TaskFailedToStart", task.StopCode);
        Assert.StartsWith("CannotPullContainerError: ", task.StoppedReason);
        Assert.Contains(image, task.StoppedReason);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(task.StoppedReason!, "CannotPullContainerError"));
        Assert.Equal(task.StoppedReason, task.Containers!.Single().Reason);
        Assert.Null(task.Containers!.Single().ExitCode);
        Assert.Null(task.StartedAt);
    }

    [Fact]
    public async Task The_image_build_docker_pushes_runs_as_image_process_workers_and_a_second_create_ecs_changes_nothing()
    {
        // Fail, never skip: tests/run.sh starts podman and exports DOCKER_HOST.
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key,
            e => (string?)e.Value ?? "");
        using (await Docker.DockerEngine.LocateAsync(environment, default)) { }

        var checkout = await WorkerCheckoutAsync();
        try
        {
            var files = WorkerFiles().Select(f => $"\"{f}\"");
            var stack = EndToEndCloud.Load("e2eimage", $$"""
                stages:
                  e2eimage:
                    repository: {name: e2eimage-worker}
                    image:
                      build-args: {BASE: scratch}
                      prepare: [sh, -c, 'mkdir -p workers/app && cp "$@" workers/app/', sh, {{string.Join(", ", files)}}]
                    ecs: {desired-count: 2}
                    local: {command: []}
                """);
            var log = new CapturedLog();
            await cloud.ProvisionAsync(stack, log, checkout, ecs: false);

            var published = await new ImagePublisher(cloud.Connection, log).PublishAsync(stack, checkout, environment, dryRun: false, default);
            Assert.NotNull(published);
            Assert.Equal(cloud.Server.Backends.Registry!.RepositoryUri("123456789012", "us-east-1", stack.Repository.Name), published.RepositoryUri);
            Assert.StartsWith("127.0.0.1:", published.RepositoryUri);
            using (var ecr = new EcrClient(cloud.Connection))
            {
                var detail = (await ecr.DescribeImagesAsync(new DescribeImagesRequest { RepositoryName = stack.Repository.Name,
                    ImageIds = [new ImageIdentifier { ImageTag = published.Tag }] })).ImageDetails!.Single();
                Assert.Equal(published.Digest, detail.ImageDigest);
            }

            await new EcsProvisioner(cloud.Context(stack, log, checkout)).EnsureAsync(default);
            var definition = (await AwsCli.Run(cloud.Server.Url, "ecs", "describe-task-definition", "--task-definition", stack.Ecs.TaskFamily))!["taskDefinition"]!["containerDefinitions"]![0]!;
            Assert.Equal(published.Reference, definition["image"]!.ToString());
            var tasks = await cloud.WaitForRunningAsync(stack.Ecs, 2);
            Assert.All(tasks, t => Assert.Equal("image-process", EndToEndCloud.Runner(t)));

            var url = await cloud.QueueUrlAsync(stack.Queues.Work.Name);
            var sent = await cloud.SendAsync(url, Enumerable.Range(0, 20).Select(i => Sleep(i * 10)).ToList());
            var items = await WaitAllDone(stack.WorkerLogTable, sent);
            AssertEachProcessedOnce(sent, items);
            var taskIds = tasks.Select(EndToEndCloud.TaskId).ToHashSet();
            Assert.True(items.Select(i => i["server"].S).ToHashSet().IsSubsetOf(taskIds), "an item's server is not a task of the service");
            Assert.Equal(0, await cloud.QueueDepthAsync(url));

            var before = cloud.Server.Requests.Entries.Count;
            var again = new CapturedLog();
            Assert.Empty(await new EcsProvisioner(cloud.Context(stack, again, checkout)).EnsureAsync(default));
            Assert.Empty(cloud.MutationsSince(before));
            Assert.Contains($"image {published.RepositoryUri}:{published.Tag} is {published.Digest}", again.Text);
            Assert.Contains($"ecs {stack.Ecs.Cluster}/{stack.Ecs.Service}: up to date", again.Text);

            var pids = cloud.TaskPids();
            await TerminateAndCheck(stack, taskIds.Select(t => pids[t]).ToList(), checkout);
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }

    /// <summary>A git checkout with this repository's own workers/Dockerfile (workers/app ignored, as here): what build-docker builds.</summary>
    static async Task<string> WorkerCheckoutAsync()
    {
        var checkout = Directory.CreateTempSubdirectory("ops-e2e-checkout-").FullName;
        Directory.CreateDirectory(Path.Combine(checkout, "workers"));
        File.Copy(Path.Combine(FleetCloud.RepositoryRoot, "workers", "Dockerfile"), Path.Combine(checkout, "workers", "Dockerfile"));
        await File.WriteAllTextAsync(Path.Combine(checkout, ".gitignore"), "workers/app/\n");
        foreach (var args in new[] { new[] { "init", "-q" }, ["add", "."], ["commit", "-q", "-m", "worker image"] })
        {
            var (code, _, error) = await ChildProcess.Run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", .. args], checkout);
            Assert.True(code == 0, error);
        }
        return checkout;
    }

    /// <summary>Ops.Worker as built next to the tests: its dll, deps and runtimeconfig, and the runtime assemblies its deps.json names.</summary>
    static List<string> WorkerFiles()
    {
        var directory = AppContext.BaseDirectory;
        var deps = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "Ops.Worker.deps.json")))!;
        var target = deps["targets"]!.AsObject().Single().Value!.AsObject();
        var assemblies = target.Select(l => l.Value!["runtime"]).OfType<System.Text.Json.Nodes.JsonObject>()
            .SelectMany(r => r.Select(a => Path.GetFileName(a.Key)));
        return new[] { "Ops.Worker.dll", "Ops.Worker.deps.json", "Ops.Worker.runtimeconfig.json" }.Concat(assemblies).Distinct()
            .Select(f => Path.Combine(directory, f)).ToList();
    }
}
