using System.Text.Json.Nodes;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// With a state directory every ECS task is a real host process: its output reaches CloudWatch Logs, its exit is the
/// task's stop, StopTask signals it, images are pulled through the image source and mapped, and no child outlives
/// the local cloud.
/// </summary>
public class TaskRunnerTests
{
    /// <summary>RunTask through the aws CLI with containerOverrides: the command and environment given there are what runs, and DescribeTasks shows
    /// them.</summary>
    [Fact]
    public async Task RunTask_honours_container_overrides_of_command_and_environment()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var marker = Path.Combine(cloud.Root, "override.out");
        var normal = cloud.Script("normal.sh", "echo normal > /dev/null\nsleep 30\n");
        var other = cloud.Script("other.sh", $"echo \"$1 $GREETING $STAGE_VAR\" > '{marker}'\n");
        var definition = await cloud.LocalCommandDefinition("overrides", normal,
            environment: new JsonArray(new JsonObject { ["name"] = "GREETING", ["value"] = "hello" }, new JsonObject { ["name"] = "STAGE_VAR", ["value"] = "dev" }));
        var overrides = new JsonObject
        {
            ["containerOverrides"] = new JsonArray(new JsonObject
            {
                ["name"] = "worker",
                ["command"] = new JsonArray("sh", other, "from-override"),
                ["environment"] = new JsonArray(new JsonObject { ["name"] = "GREETING", ["value"] = "overridden" }),
            }),
        };
        var run = await AwsCli.RunAs(TestKeys.OperatorAccessKey, TestKeys.OperatorSecretKey, cloud.Url, "ecs", "run-task", "--cluster", "dev",
            "--task-definition", definition, "--launch-type", "FARGATE", "--overrides", overrides.ToJsonString());
        var taskId = ((string)run!["tasks"]![0]!["taskArn"]!).Split('/')[^1];
        Assert.Equal("from-override", (string?)run["tasks"]![0]!["overrides"]!["containerOverrides"]![0]!["command"]![2]);
        await cloud.WaitFor(taskId, "STOPPED");
        Assert.Equal("from-override overridden dev", File.ReadAllText(marker).Trim());

        var unknown = await AwsCli.TryAs(TestKeys.OperatorAccessKey, TestKeys.OperatorSecretKey, cloud.Url, "ecs", "run-task", "--cluster", "dev",
            "--task-definition", definition, "--launch-type", "FARGATE", "--overrides", """{"containerOverrides":[{"name":"nope","command":["true"]}]}""");
        Assert.NotEqual(0, unknown.Code);
        Assert.Contains("is not a container in the TaskDefinition", unknown.Error);
    }

    [Fact]
    public async Task A_local_command_logs_to_cloudwatch_with_the_endpoint_and_the_definition_environment()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var script = cloud.Script("hello.sh", """
            echo "hello from the task"
            echo "endpoint=$AWS_ENDPOINT_URL"
            echo "stage=$OPS_STAGE"
            echo "key=$AWS_ACCESS_KEY_ID region=$AWS_REGION"
            echo "dir=$(pwd)"
            """);
        var td = await cloud.LocalCommandDefinition("hello", script, environment: new JsonArray(new JsonObject { ["name"] = "OPS_STAGE", ["value"] = "dev" }));
        var id = await cloud.RunTask(td);

        var task = await cloud.WaitFor(id, "STOPPED");
        Assert.Equal(0, (int)task["containers"]![0]!["exitCode"]!);
        Assert.Equal("EssentialContainerExited", (string?)task["stopCode"]);
        Assert.Equal("Essential container in task exited", (string?)task["stoppedReason"]);
        Assert.Equal("local-command", (string?)task["attributes"]![0]!["value"]);
        Assert.NotNull(task["startedAt"]);
        var lines = await cloud.Logs(id);
        Assert.Contains("hello from the task", lines);
        Assert.Contains($"endpoint={cloud.Url.ToString().TrimEnd('/')}", lines);
        Assert.Contains("stage=dev", lines);
        Assert.Contains("key=test region=us-east-1", lines);
        Assert.Contains($"dir={cloud.Root}", lines);
    }

    [Fact]
    public async Task A_process_that_exits_3_stops_its_task_with_exit_code_3_and_the_service_replaces_it()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var script = cloud.Script("fail.sh", "echo starting; exit 3");
        var td = await cloud.LocalCommandDefinition("fail", script);
        await cloud.Ecs("CreateService", new JsonObject { ["cluster"] = "dev", ["serviceName"] = "fail", ["taskDefinition"] = td, ["desiredCount"] = 1, ["launchType"] = "FARGATE" });

        // No ECS call until a second task has run (ECS calls run the scheduler): the exit alone must bring the
        // replacement. Each task that ran has its own log stream.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        List<string> tasks;
        do
        {
            await Task.Delay(200);
            var streams = await AwsCli.Run(cloud.Url, "logs", "describe-log-streams", "--log-group-name", "/ecs/tests");
            tasks = streams!["logStreams"]!.AsArray().Select(s => ((string)s!["logStreamName"]!).Split('/')[^1]).ToList();
            Assert.True(DateTime.UtcNow < deadline, "the service never started a replacement");
        } while (tasks.Count < 2);

        var stopped = await cloud.WaitFor(tasks[0], "STOPPED");
        Assert.Equal(3, (int)stopped["containers"]![0]!["exitCode"]!);
        Assert.Equal("EssentialContainerExited", (string?)stopped["stopCode"]);
        Assert.Equal("service:fail", (string?)(await cloud.Describe(tasks[1]))["group"]);
        await cloud.Ecs("DeleteService", new JsonObject { ["cluster"] = "dev", ["service"] = "fail", ["force"] = true });
    }

    [Fact]
    public async Task StopTask_sends_SIGTERM_to_the_process()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var script = cloud.Script("trap.sh", """
            trap 'echo "got SIGTERM"; exit 0' TERM
            echo ready
            while true; do sleep 0.1; done
            """);
        var id = await cloud.RunTask(await cloud.LocalCommandDefinition("trap", script));
        await cloud.WaitFor(id, "RUNNING");
        await cloud.WaitForLog(id, "ready");

        await cloud.Ecs("StopTask", new JsonObject { ["cluster"] = "dev", ["task"] = id, ["reason"] = "test stop" });
        var task = await cloud.WaitFor(id, "STOPPED");
        Assert.Equal(("UserInitiated", "test stop"), ((string?)task["stopCode"], (string?)task["stoppedReason"]));
        Assert.Equal(0, (int)task["containers"]![0]!["exitCode"]!);
        Assert.Contains("got SIGTERM", await cloud.Logs(id));
    }

    [Fact]
    public async Task A_process_ignoring_SIGTERM_is_killed_after_the_stop_timeout()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var script = cloud.Script("stubborn.sh", """
            trap '' TERM
            echo ready
            while true; do sleep 0.1; done
            """);
        var id = await cloud.RunTask(await cloud.LocalCommandDefinition("stubborn", script, stopTimeout: 2));
        await cloud.WaitForLog(id, "ready");

        await cloud.Ecs("StopTask", new JsonObject { ["cluster"] = "dev", ["task"] = id });
        Assert.Equal("DEACTIVATING", (string?)(await cloud.Describe(id))["lastStatus"]);
        var task = await cloud.WaitFor(id, "STOPPED");
        Assert.Equal(137, (int)task["containers"]![0]!["exitCode"]!); // 128 + SIGKILL
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_stops_the_task_with_CannotPullContainerError()
    {
        var images = new TestImageSource(null, "pull access denied for 127.0.0.1:5000/missing, repository does not exist");
        await using var cloud = await TaskCloud.StartAsync(images);
        var td = await cloud.Register("missing", new JsonObject { ["name"] = "worker", ["image"] = "127.0.0.1:5000/missing:1", ["memory"] = 128 });
        var id = await cloud.RunTask(td);

        var task = await cloud.WaitFor(id, "STOPPED");
        Assert.Equal("TaskFailedToStart", (string?)task["stopCode"]);
        const string reason = "CannotPullContainerError: pull access denied for 127.0.0.1:5000/missing, repository does not exist";
        Assert.Equal(reason, (string?)task["stoppedReason"]);
        Assert.Equal(reason, (string?)task["containers"]![0]!["reason"]);
        Assert.Null(task["startedAt"]);
        Assert.Equal(["127.0.0.1:5000/missing:1"], images.Pulled);
    }

    [Fact]
    public async Task An_image_runs_its_entrypoint_with_paths_mapped_into_its_root()
    {
        var root = Directory.CreateTempSubdirectory("ops-image-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "app"));
            File.WriteAllText(Path.Combine(root, "app", "run.sh"), "#!/bin/sh\necho \"pwd=$(pwd)\"\necho \"data=$(cat \"$1\")\"\necho \"image=$IMAGE_VAR\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(root, "app", "run.sh"),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.WriteAllText(Path.Combine(root, "app", "data.txt"), "from the image");
            var image = new UnpackedImage("sha256:0123", root, ["/app/run.sh"], ["/app/data.txt"], new Dictionary<string, string> { ["IMAGE_VAR"] = "set", ["PATH"] = "/usr/bin:/bin" }, "/app");
            await using var cloud = await TaskCloud.StartAsync(new TestImageSource(image));
            var td = await cloud.Register("image", new JsonObject
            {
                ["name"] = "worker",
                ["image"] = "127.0.0.1:5000/worker:abc",
                ["memory"] = 128,
                ["logConfiguration"] = TaskCloud.LogConfiguration(),
            });
            var id = await cloud.RunTask(td);

            var task = await cloud.WaitFor(id, "STOPPED");
            Assert.Equal(0, (int)task["containers"]![0]!["exitCode"]!);
            Assert.Equal("image-process", (string?)task["attributes"]![0]!["value"]);
            var lines = await cloud.Logs(id);
            Assert.Contains($"pwd={Path.Combine(root, "app")}", lines);
            Assert.Contains("data=from the image", lines);
            Assert.Contains("image=set", lines);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_metadata_endpoint_serves_the_task_and_task_protection_agrees_with_GetTaskProtection()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var script = cloud.Script("meta.sh", """
            echo "metadata=$ECS_CONTAINER_METADATA_URI_V4"
            echo "agent=$ECS_AGENT_URI"
            while true; do sleep 0.1; done
            """);
        var id = await cloud.RunTask(await cloud.LocalCommandDefinition("meta", script, stopTimeout: 2));
        var metadata = (await cloud.WaitForLog(id, "metadata="))["metadata=".Length..];
        var agent = (await cloud.WaitForLog(id, "agent="))["agent=".Length..];
        await cloud.WaitFor(id, "RUNNING");
        using var http = new HttpClient();

        var task = JsonNode.Parse(await http.GetStringAsync(metadata + "/task"))!;
        Assert.Equal($"arn:aws:ecs:us-east-1:123456789012:task/dev/{id}", (string?)task["TaskARN"]);
        Assert.Equal(("meta", "1", "RUNNING"), ((string?)task["Family"], (string?)task["Revision"], (string?)task["KnownStatus"]));
        var container = JsonNode.Parse(await http.GetStringAsync(metadata))!;
        Assert.Equal("worker", (string?)container["Name"]);

        var put = await http.PutAsync(agent + "/task-protection/v1/state", new StringContent("""{"ProtectionEnabled":true,"ExpiresInMinutes":60}"""));
        var body = JsonNode.Parse(await put.Content.ReadAsStringAsync())!;
        Assert.True(put.IsSuccessStatusCode, body.ToJsonString());
        Assert.True((bool)body["protection"]!["ProtectionEnabled"]!);
        Assert.Equal($"arn:aws:ecs:us-east-1:123456789012:task/dev/{id}", (string?)body["protection"]!["TaskArn"]);
        var protection = (await AwsCli.Run(cloud.Url, "ecs", "get-task-protection", "--cluster", "dev", "--tasks", id))!["protectedTasks"]![0]!;
        Assert.True((bool)protection["protectionEnabled"]!);
        Assert.Equal(DateTimeOffset.Parse((string)body["protection"]!["ExpirationDate"]!), DateTimeOffset.FromUnixTimeMilliseconds((long)((double)protection["expirationDate"]! * 1000)),
            TimeSpan.FromSeconds(1));

        var wrong = await http.GetAsync(metadata.Replace("/_ecs/", "/_ecs/0") + "/task");
        Assert.Equal(404, (int)wrong.StatusCode);
        await cloud.Ecs("StopTask", new JsonObject { ["cluster"] = "dev", ["task"] = id });
    }

    [Fact]
    public async Task Disposing_the_local_cloud_kills_every_task_process_and_its_children()
    {
        var cloud = await TaskCloud.StartAsync();
        var pids = new List<int>();
        try
        {
            var script = cloud.Script("tree.sh", """
                sleep 300 &
                echo "child=$!"
                echo "leader=$$"
                wait
                """);
            var td = await cloud.LocalCommandDefinition("tree", script);
            await cloud.Ecs("CreateService", new JsonObject { ["cluster"] = "dev", ["serviceName"] = "tree", ["taskDefinition"] = td, ["desiredCount"] = 2, ["launchType"] = "FARGATE" });
            var tasks = (await cloud.Ecs("ListTasks", new JsonObject { ["cluster"] = "dev", ["serviceName"] = "tree" }))["taskArns"]!.AsArray().Select(a => ((string)a!).Split('/')[^1]).ToList();
            Assert.Equal(2, tasks.Count);
            foreach (var id in tasks)
            {
                pids.Add(int.Parse((await cloud.WaitForLog(id, "child="))["child=".Length..]));
                pids.Add(int.Parse((await cloud.WaitForLog(id, "leader="))["leader=".Length..]));
            }
            Assert.All(pids, pid => Assert.True(TaskCloud.Alive(pid), $"pid {pid} is not running"));
        }
        finally
        {
            await cloud.DisposeAsync();
        }
        Assert.All(pids, pid => Assert.False(TaskCloud.Alive(pid), $"pid {pid} outlived the local cloud"));
    }
}
