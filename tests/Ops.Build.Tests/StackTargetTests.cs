using System.Text.Json.Nodes;
using Ops.LocalCloud;
using Ops.Targets;
using OpsBuild = Ops.Build.Build;

namespace Ops.Build.Tests;

/// <summary>The stack file through the real CLI: the stack target's output, and bad files or stages stopping every target before any AWS call.</summary>
public class StackTargetTests
{
    [Fact]
    public async Task Stack_prints_the_resolved_stage_grouped_and_aligned()
    {
        var run = await Run.Build(new OpsBuild(), "stack --stage prod");
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Contains("[stack]  stage                      prod", run.Out);
        Assert.Contains("[stack]  stack                      built-in (no ops.stack.yml)", run.Out);
        Assert.Contains("[stack]  queues.work", run.Out);
        Assert.Contains("[stack]    name                     iotile-worker-prod", run.Out);
        Assert.Contains("[stack]    visibility-timeout       15m", run.Out);
        Assert.Contains("[stack]    desired-count            6", run.Out);
    }

    [Fact]
    public async Task Stack_output_json_is_parseable_on_stdout_and_loads_back_as_the_same_stage()
    {
        using var root = new TestRoot();
        File.WriteAllText(Path.Combine(root.Path, "ops.stack.yml"), "defaults:\n  tags: {Team: platform}\nstages:\n  qa:\n    like: prod\n    ecs: {desired-count: 3}\n");
        var run = await Run.Build(new OpsBuild(), "stack --stage qa --output json", root);
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        var json = JsonNode.Parse(run.Out)!.AsObject();      // the summary went to stderr
        Assert.Equal("qa", (string?)json["stage"]);
        Assert.Equal(3, (int?)json["ecs"]!["desired-count"]);
        Assert.Equal("platform", (string?)json["tags"]!["Team"]);
        Assert.Equal("iotile-worker-qa", (string?)json["queues"]!["work"]!["name"]);

        json.Remove("stage");
        File.WriteAllText(Path.Combine(root.Path, "copy.json"), new JsonObject { ["stages"] = new JsonObject { ["qa"] = json.DeepClone() } }.ToJsonString());
        var again = await Run.Build(new OpsBuild(), "stack --stage qa --output json --stack copy.json", root);
        Assert.True(again.ExitCode == 0, again.Out + again.Err);
        Assert.Equal(run.Out, again.Out);
    }

    [Theory]
    [InlineData("defaults:\n  ecs:\n    desired_count: 3\n", "", "ops.stack.yml:3:5: defaults.ecs.desired_count: unknown field — did you mean desired-count?")]
    [InlineData("defaults:\n  queues:\n    work:\n      visibility-timeout: 5m\n", "",
        "ops.stack.yml:4:7: defaults.queues.work.visibility-timeout: visibility timeout 5m is not above worker.longest-message 10m, so a message still being processed would be delivered again — make queues.work.visibility-timeout longer than worker.longest-message")]
    [InlineData("defaults:\n  project: a\n  project: b\n", "", "ops.stack.yml:3:3: duplicate key 'project' — keep one of them")]
    [InlineData("", "", "ops.stack.yml:1:1: the stack file is empty — add defaults: or stages:, or delete the file to use the built-in stack")]
    [InlineData("stages:\n  qa: {}\n", "--stage uat", "--stage 'uat' is not defined by the stack (stages: dev, stage, prod, qa); add it under stages: in ops.stack.yml")]
    [InlineData("stages:\n  prod:\n    ecs: {desired-count: 5000}\n", "", "ops.stack.yml:3:11: stages.prod.ecs.desired-count: 5000 is out of range 0–1000 — use a value from 0–1000")]
    [InlineData(null, "--stack nowhere.yml", "--stack 'nowhere.yml' does not exist (looked for ROOT/nowhere.yml) — pass the path of a stack file, relative to the repository root or absolute")]
    public async Task A_bad_stack_stops_whoami_with_one_line_and_no_aws_call(string? file, string args, string error)
    {
        using var root = new TestRoot();
        if (file != null) File.WriteAllText(Path.Combine(root.Path, "ops.stack.yml"), file);
        await using var cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { Delays = LifecycleDelays.Instant });
        foreach (var target in new[] { "whoami", "stack", "info" })
        {
            var run = await Run.Build(new OpsBuild(), $"{target} --endpoint-url {cloud.Url} {args}", root);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal("error: " + error.Replace("ROOT", root.Path), run.Err.Trim());
            Assert.DoesNotContain("   at ", run.Out + run.Err);
            Assert.Empty(run.Report.Results);
        }
        Assert.Empty(cloud.Requests.Entries);
    }

    [Fact]
    public async Task The_local_cloud_target_does_not_read_the_stack()
    {
        using var root = new TestRoot();
        File.WriteAllText(Path.Combine(root.Path, "ops.stack.yml"), "oops: 1\n");
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var run = await Run.Build(new OpsBuild(), $"local-cloud --port {port}", root);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(ExecutionStatus.Failed, run.Status("local-cloud"));   // it ran: the broken stack file did not stop it
        Assert.DoesNotContain("ops.stack.yml", run.Out + run.Err);
    }
}
