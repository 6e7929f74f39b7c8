using System.Text.Json.Nodes;

namespace Ops.Build.Tests;

/// <summary>
/// ECS tasks are real processes of the local cloud: when <c>./build.sh local-cloud</c> dies by <c>kill -9</c> they are
/// left running, and the next start on the same state reaps them, marks their tasks STOPPED and replaces them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LocalCloudTaskReaperTests
{
    [Fact]
    public async Task Task_processes_left_by_a_killed_local_cloud_are_reaped_and_their_tasks_replaced_at_the_next_start()
    {
        using var root = new TestRoot();
        var port = LoopbackPort.Free();
        var endpoint = new Uri($"http://127.0.0.1:{port}");
        var script = Path.Combine(root.Path, "tree.sh");
        await File.WriteAllTextAsync(script, "sleep 300 &\necho \"child=$!\"\necho \"leader=$$\"\nwait\n");
        string first;
        List<int> orphans;

        using (var server = LocalCloudProcess.Start(root, port))
        {
            await server.WaitForOutput("press Ctrl+C to stop", TimeSpan.FromSeconds(60));
            await AwsCli.Run(endpoint, "ecs", "create-cluster", "--cluster-name", "dev");
            var definition = new JsonObject
            {
                ["family"] = "tree",
                ["containerDefinitions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "worker",
                    ["image"] = "127.0.0.1:5000/worker:local-command",
                    ["memory"] = 128,
                    ["dockerLabels"] = new JsonObject { ["ops.local.command"] = new JsonArray("sh", script).ToJsonString(), ["ops.local.directory"] = root.Path },
                    ["logConfiguration"] = new JsonObject
                    {
                        ["logDriver"] = "awslogs",
                        ["options"] = new JsonObject { ["awslogs-group"] = "/ecs/tree", ["awslogs-region"] = "us-east-1", ["awslogs-stream-prefix"] = "ecs", ["awslogs-create-group"] = "true" },
                    },
                }),
            };
            await AwsCli.Run(endpoint, "ecs", "register-task-definition", "--cli-input-json", definition.ToJsonString());
            // The public keys start no program; the operator's, kept 0600 in the state directory, do.
            string[] create = ["ecs", "create-service", "--cluster", "dev", "--service-name", "tree", "--task-definition", "tree", "--desired-count", "1", "--launch-type", "FARGATE"];
            var refused = await AwsCli.Try(endpoint, create);
            Assert.True(refused.Code != 0 && refused.Error.Contains("needs the local cloud's operator keys", StringComparison.Ordinal), refused.Error);
            var keys = Ops.LocalCloud.OperatorCredentials.TryRead(root.Nuke("temp/local-cloud"))!;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(root.Nuke($"temp/local-cloud/{Ops.LocalCloud.OperatorCredentials.JsonFileName}")));
            await AwsCli.RunAs(keys.AccessKey, keys.SecretKey, endpoint, create);
            first = await RunningTask(endpoint, except: null);
            orphans = await Pids(endpoint, first);

            server.Signal("KILL");
            await server.WaitForExit(TimeSpan.FromSeconds(30));
        }
        Assert.All(orphans, pid => Assert.True(Alive(pid), $"task process {pid} died with the local cloud; the test needs it left behind"));

        using (var server = LocalCloudProcess.Start(root, port))
        {
            await server.WaitForOutput("press Ctrl+C to stop", TimeSpan.FromSeconds(60));
            Assert.All(orphans, pid => Assert.False(Alive(pid), $"task process {pid} left by the killed local cloud was not reaped"));
            var old = (await AwsCli.Run(endpoint, "ecs", "describe-tasks", "--cluster", "dev", "--tasks", first))!["tasks"]![0]!;
            Assert.Equal("STOPPED", (string?)old["lastStatus"]);
            Assert.Contains("local cloud restarted", (string?)old["stoppedReason"]);

            var replacement = await RunningTask(endpoint, except: first);
            var children = await Pids(endpoint, replacement);
            server.Signal("TERM");
            await server.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.All(children, pid => Assert.False(Alive(pid), $"task process {pid} outlived a local cloud stopped with SIGTERM"));
        }
    }

    /// <summary>The service's RUNNING task other than <paramref name="except"/>, waited for.</summary>
    static async Task<string> RunningTask(Uri endpoint, string? except)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var arns = (await AwsCli.Run(endpoint, "ecs", "list-tasks", "--cluster", "dev", "--service-name", "tree"))!["taskArns"]!.AsArray();
            foreach (var id in arns.Select(a => ((string)a!).Split('/')[^1]).Where(id => id != except))
                if ((string?)(await AwsCli.Run(endpoint, "ecs", "describe-tasks", "--cluster", "dev", "--tasks", id))!["tasks"]![0]!["lastStatus"] == "RUNNING")
                    return id;
            Assert.True(DateTime.UtcNow < deadline, "the service never had a RUNNING task");
            await Task.Delay(250);
        }
    }

    /// <summary>The task's leader and child pids, from its log.</summary>
    static async Task<List<int>> Pids(Uri endpoint, string task)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var (code, json, _) = await AwsCli.Try(endpoint, "logs", "get-log-events", "--log-group-name", "/ecs/tree", "--log-stream-name", $"ecs/worker/{task}", "--start-from-head");
            var lines = code == 0 ? json!["events"]!.AsArray().Select(e => (string)e!["message"]!).ToList() : [];
            var pids = lines.Where(l => l.StartsWith("child=") || l.StartsWith("leader=")).Select(l => int.Parse(l[(l.IndexOf('=') + 1)..])).ToList();
            if (pids.Count == 2) return pids;
            Assert.True(DateTime.UtcNow < deadline, $"task {task} never logged its pids");
            await Task.Delay(250);
        }
    }

    static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
}
