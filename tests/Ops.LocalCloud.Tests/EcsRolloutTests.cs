using System.Text.Json.Nodes;
using Ops.LocalCloud.Services.Ecs;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// What a drain-aware rollout relies on from ECS, with tasks as real processes: the deployment circuit breaker fails a
/// deployment whose tasks crash (even after reaching RUNNING, until the deployment is steady) and rolls back to the last
/// completed one, a scale-in-protected task outlives every
/// deployment until it clears its protection and is then stopped at once, and forceNewDeployment replaces every task.
/// </summary>
public class EcsRolloutTests
{
    const string Serving = """
        trap 'echo "got SIGTERM"; exit 0' TERM
        echo "agent=$ECS_AGENT_URI"
        while true; do sleep 0.1; done
        """;

    static JsonObject Breaker(bool rollback) => new()
    {
        ["maximumPercent"] = 200,
        ["minimumHealthyPercent"] = 100,
        ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = true, ["rollback"] = rollback },
    };

    static async Task<JsonObject> Service(TaskCloud cloud) =>
        (JsonObject)(await cloud.Ecs("DescribeServices", new JsonObject { ["cluster"] = "dev", ["services"] = new JsonArray("worker") }))["services"]![0]!;

    /// <summary>Polls the service until <paramref name="done"/> holds (a minute at most).</summary>
    static async Task<JsonObject> WaitForService(TaskCloud cloud, string what, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var service = await Service(cloud);
            if (done(service)) return service;
            Assert.True(DateTime.UtcNow < deadline, $"the service never {what}: {service["deployments"]!.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    static bool Completed(JsonObject s, string taskDefinition) =>
        s["deployments"]!.AsArray() is [var d] && (string?)d!["rolloutState"] == "COMPLETED" && (string?)d["taskDefinition"] == taskDefinition;

    static async Task<List<string>> Tasks(TaskCloud cloud, string desired = "RUNNING", string? startedBy = null)
    {
        var input = new JsonObject { ["cluster"] = "dev", ["serviceName"] = "worker", ["desiredStatus"] = desired };
        if (startedBy != null) input = new JsonObject { ["cluster"] = "dev", ["startedBy"] = startedBy, ["desiredStatus"] = desired };
        return (await cloud.Ecs("ListTasks", input))["taskArns"]!.AsArray().Select(a => ((string)a!).Split('/')[^1]).ToList();
    }

    [Fact]
    public async Task Crashing_tasks_trip_the_breaker_and_the_service_rolls_back_while_a_protected_task_waits_for_its_protection_to_clear()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var good = await cloud.LocalCommandDefinition("worker", cloud.Script("serve.sh", Serving));
        var crashing = await cloud.LocalCommandDefinition("worker", cloud.Script("crash.sh", "echo crashing; exit 1"));
        await cloud.Ecs("CreateService", new JsonObject
        {
            ["cluster"] = "dev",
            ["serviceName"] = "worker",
            ["taskDefinition"] = good,
            ["desiredCount"] = 1,
            ["launchType"] = "FARGATE",
            ["deploymentConfiguration"] = Breaker(rollback: true),
        });
        var first = await WaitForService(cloud, "completed its first deployment", s => Completed(s, good) && (int)s["runningCount"]! == 1);
        var firstDeployment = (string)first["deployments"]![0]!["id"]!;
        var old = Assert.Single(await Tasks(cloud));
        await cloud.WaitForLog(old, "agent=");
        var protect = await AwsCli.Run(cloud.Url, "ecs", "update-task-protection", "--cluster", "dev", "--tasks", old, "--protection-enabled", "--expires-in-minutes", "60");
        Assert.True((bool)protect!["protectedTasks"]![0]!["protectionEnabled"]!);

        await cloud.Ecs("UpdateService", new JsonObject { ["cluster"] = "dev", ["service"] = "worker", ["taskDefinition"] = crashing });

        // Three crashes (the threshold for a desired count of 1) fail the deployment; the rollback deployment, on the
        // first task definition, runs its task, but cannot complete while the protected task of the first deployment runs.
        var rolling = await WaitForService(cloud, "rolled back", s =>
            s["deployments"]!.AsArray() is [var primary, ..] && (string?)primary!["taskDefinition"] == good && (int)primary["runningCount"]! == 1
            && s["deployments"]!.AsArray().Any(d => (string?)d!["rolloutState"] == "FAILED"));
        var deployments = rolling["deployments"]!.AsArray();
        Assert.Equal(3, deployments.Count);
        var back = deployments[0]!;
        Assert.Equal(("PRIMARY", "IN_PROGRESS"), ((string?)back["status"], (string?)back["rolloutState"]));
        Assert.Equal($"ECS deployment circuit breaker: rolling back to deploymentId {firstDeployment}.", (string?)back["rolloutStateReason"]);
        var failed = deployments.Single(d => (string?)d!["rolloutState"] == "FAILED")!;
        Assert.Equal(("ACTIVE", crashing, 3), ((string?)failed["status"], (string?)failed["taskDefinition"], (int)failed["failedTasks"]!));
        Assert.Equal("ECS deployment circuit breaker: tasks failed to start.", (string?)failed["rolloutStateReason"]);
        var events = rolling["events"]!.AsArray().Select(e => (string)e!["message"]!).ToList();
        Assert.Contains($"(service worker) (deployment {failed["id"]}) deployment failed: tasks failed to start.", events);
        Assert.Contains(events, e => e.Contains($"rolling back to deployment {firstDeployment}"));
        var crashed = await Tasks(cloud, "STOPPED", (string)failed["id"]!);
        Assert.Equal(3, crashed.Count);
        foreach (var id in crashed) Assert.Equal(1, (int)(await cloud.Describe(id))["containers"]![0]!["exitCode"]!);
        Assert.Equal(("RUNNING", "RUNNING"), ((string?)(await cloud.Describe(old))["lastStatus"], (string?)(await cloud.Describe(old))["desiredStatus"]));

        // Clearing the protection stops the old task within that call: its process gets SIGTERM with no further ECS call
        // (and nothing left for the scheduler to wake up for but the hour-long protection).
        await Task.Delay(EcsScheduler.SteadyRun + TimeSpan.FromSeconds(1));
        await AwsCli.Run(cloud.Url, "ecs", "update-task-protection", "--cluster", "dev", "--tasks", old, "--no-protection-enabled");
        await cloud.WaitForLog(old, "got SIGTERM");
        var stopped = await cloud.WaitFor(old, "STOPPED");
        Assert.Equal("ServiceSchedulerInitiated", (string?)stopped["stopCode"]);

        var done = await WaitForService(cloud, "completed the rollback", s => Completed(s, good));
        Assert.Equal($"ECS deployment {back["id"]} completed.", (string?)done["deployments"]![0]!["rolloutStateReason"]);
        Assert.Equal(1, (int)done["runningCount"]!);
    }

    [Fact]
    public async Task Without_rollback_a_failed_deployment_launches_no_more_tasks_until_the_next_deployment()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var good = await cloud.LocalCommandDefinition("worker", cloud.Script("serve.sh", Serving));
        var crashing = await cloud.LocalCommandDefinition("worker", cloud.Script("crash.sh", "exit 1"));
        await cloud.Ecs("CreateService", new JsonObject
        {
            ["cluster"] = "dev",
            ["serviceName"] = "worker",
            ["taskDefinition"] = good,
            ["desiredCount"] = 1,
            ["launchType"] = "FARGATE",
            ["deploymentConfiguration"] = Breaker(rollback: false),
        });
        await WaitForService(cloud, "completed its first deployment", s => Completed(s, good) && (int)s["runningCount"]! == 1);

        await cloud.Ecs("UpdateService", new JsonObject { ["cluster"] = "dev", ["service"] = "worker", ["taskDefinition"] = crashing });
        var failed = await WaitForService(cloud, "failed", s => (string?)s["deployments"]![0]!["rolloutState"] == "FAILED");
        var primary = failed["deployments"]![0]!;
        Assert.Equal((crashing, 3), ((string?)primary["taskDefinition"], (int)primary["failedTasks"]!));

        await Task.Delay(TimeSpan.FromSeconds(3));   // past the service's launch backoff: a deployment that still launched would have by now
        var later = await Service(cloud);
        Assert.Equal(("FAILED", 3), ((string?)later["deployments"]![0]!["rolloutState"], (int)later["deployments"]![0]!["failedTasks"]!));
        Assert.Equal(3, (await Tasks(cloud, "STOPPED", (string)primary["id"]!)).Count);
        Assert.Empty(await Tasks(cloud, "RUNNING", (string)primary["id"]!));

        // A new deployment (the good definition again) recovers: it completes, and the failed one is gone.
        await cloud.Ecs("UpdateService", new JsonObject { ["cluster"] = "dev", ["service"] = "worker", ["taskDefinition"] = good, ["forceNewDeployment"] = true });
        await WaitForService(cloud, "recovered", s => Completed(s, good));
    }

    [Fact]
    public async Task Force_new_deployment_replaces_a_task_of_the_same_definition_once_it_clears_its_protection_through_the_agent_endpoint()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var td = await cloud.LocalCommandDefinition("worker", cloud.Script("serve.sh", Serving));
        await cloud.Ecs("CreateService", new JsonObject
        {
            ["cluster"] = "dev",
            ["serviceName"] = "worker",
            ["taskDefinition"] = td,
            ["desiredCount"] = 1,
            ["launchType"] = "FARGATE",
            ["deploymentConfiguration"] = Breaker(rollback: true),
        });
        await WaitForService(cloud, "completed its first deployment", s => Completed(s, td) && (int)s["runningCount"]! == 1);
        var old = Assert.Single(await Tasks(cloud));
        var agent = (await cloud.WaitForLog(old, "agent="))["agent=".Length..];
        using var http = new HttpClient();
        var on = await http.PutAsync(agent + "/task-protection/v1/state", new StringContent("""{"ProtectionEnabled":true,"ExpiresInMinutes":5}"""));
        Assert.True(on.IsSuccessStatusCode, await on.Content.ReadAsStringAsync());

        var updated = await cloud.Ecs("UpdateService", new JsonObject { ["cluster"] = "dev", ["service"] = "worker", ["forceNewDeployment"] = true });
        var second = (string)updated["service"]!["deployments"]![0]!["id"]!;
        var during = await WaitForService(cloud, "ran the new task", s => (int)s["deployments"]![0]!["runningCount"]! == 1);
        Assert.Equal([(second, "PRIMARY", "IN_PROGRESS", td), ((string)during["deployments"]![1]!["id"]!, "ACTIVE", "COMPLETED", td)],
            during["deployments"]!.AsArray().Select(d => ((string)d!["id"]!, (string?)d["status"], (string?)d["rolloutState"], (string?)d["taskDefinition"])));
        Assert.Equal("RUNNING", (string?)(await cloud.Describe(old))["desiredStatus"]);
        await Task.Delay(EcsScheduler.SteadyRun + TimeSpan.FromSeconds(1));   // nothing left for the scheduler to wake up for but the 5-minute protection

        var off = await http.PutAsync(agent + "/task-protection/v1/state", new StringContent("""{"ProtectionEnabled":false}"""));
        Assert.True(off.IsSuccessStatusCode, await off.Content.ReadAsStringAsync());
        await cloud.WaitForLog(old, "got SIGTERM");
        var done = await WaitForService(cloud, "completed the forced deployment", s => Completed(s, td));
        Assert.Equal(second, (string?)done["deployments"]![0]!["id"]);
        Assert.DoesNotContain(old, await Tasks(cloud));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 4)]
    [InlineData(100, 50)]
    [InlineData(399, 200)]
    [InlineData(1000, 200)]
    public void The_failure_threshold_is_half_the_desired_count_between_3_and_200(int desired, int threshold) =>
        Assert.Equal(threshold, EcsScheduler.FailureThreshold(desired));
}
