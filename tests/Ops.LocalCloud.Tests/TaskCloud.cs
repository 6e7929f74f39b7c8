using System.Text;
using System.Text.Json.Nodes;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// A local cloud with a state directory (so ECS tasks run as real processes), a scratch directory for task scripts,
/// and ECS calls as signed JSON on the wire.
/// </summary>
public sealed class TaskCloud : IAsyncDisposable
{
    static readonly HttpClient Http = new();

    public LocalCloudServer Server { get; private set; } = null!;
    public string Root { get; } = Directory.CreateTempSubdirectory("ops-tasks-").FullName;
    public Uri Url => Server.Url;

    public string StateDirectory => Path.Combine(Root, "state");

    public static async Task<TaskCloud> StartAsync(IImageSource? images = null)
    {
        var cloud = new TaskCloud();
        cloud.Server = await LocalCloudServer.StartAsync(cloud.Options(images));
        return cloud;
    }

    LocalCloudOptions Options(IImageSource? images) => new()
    {
        AccessKey = TestKeys.OperatorAccessKey,
        SecretKey = TestKeys.OperatorSecretKey,
        StateDirectory = StateDirectory,
        Delays = LifecycleDelays.Instant,
        Backends = new LocalBackends { Images = images },
    };

    /// <summary>Stops the local cloud and starts another on the same state directory (its address changes).</summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await LocalCloudServer.StartAsync(Options(images: null));
    }

    /// <summary>Writes a shell script into the scratch directory; returns its path.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, body.ReplaceLineEndings("\n"));
        return path;
    }

    /// <summary>One ECS call (JSON 1.1, signed), which must succeed.</summary>
    public async Task<JsonNode> Ecs(string operation, JsonObject input)
    {
        var (status, text) = await TryEcs(operation, input, publicKeys: false);
        Assert.True(status is >= 200 and < 300, $"ecs {operation}: {status} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>An ECS call signed with the operator's keys, or the public test/test ones: the status and body as answered.</summary>
    public async Task<(int Status, string Body)> TryEcs(string operation, JsonObject input, bool publicKeys)
    {
        var body = Encoding.UTF8.GetBytes(input.ToJsonString());
        var request = new RawSignedRequest(Url, "ecs", "POST", "/", body)
        {
            ContentType = "application/x-amz-json-1.1",
            Headers = new Dictionary<string, string> { ["x-amz-target"] = $"AmazonEC2ContainerServiceV20141113.{operation}" },
            AccessKey = publicKeys ? "test" : TestKeys.OperatorAccessKey,
            SecretKey = publicKeys ? "test" : TestKeys.OperatorSecretKey,
        };
        using var response = await Http.SendAsync(request.Build());
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A cluster and a task definition of one container whose local command is <c>sh &lt;script&gt;</c>, logging to /ecs/tests.</summary>
    public async Task<string> LocalCommandDefinition(string family, string script, int? stopTimeout = null, JsonArray? environment = null)
    {
        await Ecs("CreateCluster", new JsonObject { ["clusterName"] = "dev" });
        var container = new JsonObject
        {
            ["name"] = "worker",
            ["image"] = "127.0.0.1:5000/worker:local-command",
            ["memory"] = 128,
            ["essential"] = true,
            ["dockerLabels"] = new JsonObject { ["ops.local.command"] = new JsonArray("sh", script).ToJsonString(), ["ops.local.directory"] = Root },
            ["environment"] = environment ?? new JsonArray(),
            ["logConfiguration"] = LogConfiguration(),
        };
        if (stopTimeout != null) container["stopTimeout"] = stopTimeout;
        return await Register(family, container);
    }

    public async Task<string> Register(string family, JsonObject container)
    {
        await Ecs("CreateCluster", new JsonObject { ["clusterName"] = "dev" });
        var td = await Ecs("RegisterTaskDefinition", new JsonObject { ["family"] = family, ["containerDefinitions"] = new JsonArray(container) });
        return (string)td["taskDefinition"]!["taskDefinitionArn"]!;
    }

    public static JsonObject LogConfiguration() => new()
    {
        ["logDriver"] = "awslogs",
        ["options"] = new JsonObject { ["awslogs-group"] = "/ecs/tests", ["awslogs-region"] = "us-east-1", ["awslogs-stream-prefix"] = "ecs", ["awslogs-create-group"] = "true" },
    };

    /// <summary>Runs one task of <paramref name="taskDefinition"/> (Fargate: no container instance needed); returns its id.</summary>
    public async Task<string> RunTask(string taskDefinition)
    {
        var run = await Ecs("RunTask", new JsonObject { ["cluster"] = "dev", ["taskDefinition"] = taskDefinition, ["launchType"] = "FARGATE" });
        return ((string)run["tasks"]![0]!["taskArn"]!).Split('/')[^1];
    }

    public async Task<JsonObject> Describe(string taskId) =>
        (JsonObject)(await Ecs("DescribeTasks", new JsonObject { ["cluster"] = "dev", ["tasks"] = new JsonArray(taskId) }))["tasks"]![0]!;

    /// <summary>Polls the task until its lastStatus is <paramref name="status"/> (a minute at most).</summary>
    public async Task<JsonObject> WaitFor(string taskId, string status)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var task = await Describe(taskId);
            if ((string?)task["lastStatus"] == status) return task;
            Assert.True(DateTime.UtcNow < deadline, $"task {taskId} never became {status}: {task.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The task's log lines, read with the aws CLI (group /ecs/tests, stream ecs/worker/&lt;task&gt;).</summary>
    public async Task<List<string>> Logs(string taskId)
    {
        var events = await AwsCli.Run(Url, "logs", "get-log-events", "--log-group-name", "/ecs/tests", "--log-stream-name", $"ecs/worker/{taskId}", "--start-from-head");
        return events!["events"]!.AsArray().Select(e => (string)e!["message"]!).ToList();
    }

    /// <summary>Polls the task's log (read directly, not through the CLI) until a line contains <paramref name="text"/>; returns that line.</summary>
    public async Task<string> WaitForLog(string taskId, string text)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var body = Encoding.UTF8.GetBytes(new JsonObject { ["logGroupName"] = "/ecs/tests", ["logStreamName"] = $"ecs/worker/{taskId}", ["startFromHead"] = true }.ToJsonString());
            var request = new RawSignedRequest(Url, "logs", "POST", "/", body)
            {
                ContentType = "application/x-amz-json-1.1",
                Headers = new Dictionary<string, string> { ["x-amz-target"] = "Logs_20140328.GetLogEvents" },
            };
            using var response = await Http.SendAsync(request.Build());
            if (response.IsSuccessStatusCode)
            {
                var events = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["events"]!.AsArray();
                if (events.Select(e => (string)e!["message"]!).FirstOrDefault(m => m.Contains(text)) is { } line) return line;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no log line of task {taskId} contains '{text}'");
            await Task.Delay(100);
        }
    }

    public static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    public async ValueTask DisposeAsync()
    {
        if (Server != null) await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
