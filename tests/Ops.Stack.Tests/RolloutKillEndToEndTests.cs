using Ops.LocalCloud.Diagnostics;
using Xunit.Abstractions;

namespace Ops.Stack.Tests;

/// <summary>
/// The rollout end to end (<see cref="RolloutEndToEndTests"/>) where deploy-worker itself is interrupted: kill -9 at each
/// phase then a re-run, and two at once. On a local cloud of their own (the second end-to-end collection), so they run
/// beside the other rollout tests and the faults they inject reach no other test.
/// </summary>
[Collection(SecondEndToEndCloudCollection.Name)]
public sealed class RolloutKillEndToEndTests(EndToEndCloud cloud, ITestOutputHelper output)
{
    const string KillAck = RolloutChecks.KillAck;
    const string TaskProtection = RolloutChecks.TaskProtection;
    readonly RolloutChecks _checks = new(cloud, output);

    [Theory]
    [InlineData(KillAck, "draining")]
    [InlineData(KillAck, "drained")]
    [InlineData(KillAck, "updating")]
    [InlineData(KillAck, "rolling-back")]
    [InlineData(TaskProtection, "updating")]
    [InlineData(TaskProtection, "rolling-back")]
    public async Task Kill_9_of_deploy_worker_at_a_phase_then_a_rerun_ends_consistent_with_every_message_processed(string strategy, string phase)
    {
        var stage = new RolloutStage(cloud, output, RolloutChecks.StageName("ro9" + phase switch { "draining" => "dg", "drained" => "dd", "updating" => "up", _ => "rb" }, strategy), strategy);
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        var extra = new List<string>();
        if (phase == "draining")
            extra.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => stage.SendAsync(SteadyLoad.Sleep(4000))))); // a drain of seconds
        if (phase == "rolling-back") stage.WriteStack(", OPS_WORKER_CONCURRENCY: \"0\"");
        // The phases after the drain last as long as a few ECS calls: slow those so the kill lands in the phase asked for.
        var slow = phase == "draining" ? [] : new List<FaultRule>
        {
            new() { Service = "ecs", Operation = "DescribeServices", Latency = TimeSpan.FromSeconds(1.5) },
            new() { Service = "ecs", Operation = "RegisterTaskDefinition", Latency = TimeSpan.FromSeconds(2) },
        };
        await Task.Delay(500);

        string? seen;
        using (var killed = await OpsCli.StartAsync(stage.DeployArgs()))
        {
            try
            {
                slow.ForEach(cloud.Server.Faults.Add);
                seen = await stage.WaitForPhaseAsync(killed, TimeSpan.FromSeconds(90), phase);
                killed.Signal("KILL");
                var code = await killed.WaitForExit(TimeSpan.FromSeconds(30));
                output.WriteLine($"killed at {seen} (exit {code})\nstdout:\n{killed.Out}\nstderr:\n{killed.Err}");
                Assert.Equal(137, code);
            }
            finally
            {
                cloud.Server.Faults.Clear();
            }
        }
        Assert.True(seen == phase, $"the rollout never reached {phase} (last seen {seen})");
        var killedRecord = (await stage.NewestRecordAsync())!;
        Assert.Equal(phase, killedRecord["phase"].S);

        var rerun = await stage.RunAsync(stage.DeployArgs());
        var record = (await stage.NewestRecordAsync())!;
        Assert.Equal(killedRecord["rollout_id"].S, record["rollout_id"].S); // resumed, not started over
        if (phase == "rolling-back")
        {
            Assert.True(rerun.ExitCode == 1, rerun.ToString());
            Assert.Equal("rolled-back", record["phase"].S);
            Assert.Contains($"rolled back to {RolloutStage.Revision(from)}", rerun.Text);
            await stage.WaitSteadyOnAsync(from);
            await Task.Delay(1000);
            await stage.AssertAllProcessedAsync(load, extra);
        }
        else
        {
            var (_, running) = await _checks.AssertDeployedAsync(stage, rerun, from, first, drainedByThisRun: phase == "draining");
            await Task.Delay(1000);
            var log = await stage.AssertAllProcessedAsync(load, extra);
            RolloutStage.AssertNoWorkAfter(log, await _checks.QuietSinceAsync(stage, record, first), strategy == KillAck ? "acknowledged its drain" : "was told to stop");
            await _checks.AssertNotHaltedAsync(stage, log, running.Select(EndToEndCloud.TaskId).ToList(), [record["rollout_id"].S]);
        }
        await stage.TerminateAsync();
    }

    [Fact]
    public async Task Of_two_concurrent_deploy_workers_exactly_one_is_refused_naming_the_holder()
    {
        var stage = new RolloutStage(cloud, output, "rotwo", KillAck);
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        // Keeps the first one draining past the second one's start, which takes seconds on a busy machine (longest-message 20 s).
        var held = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => stage.SendAsync(SteadyLoad.Sleep(15_000))));

        using var a = await OpsCli.StartAsync(stage.DeployArgs());
        Assert.Equal("draining", await stage.WaitForPhaseAsync(a, TimeSpan.FromSeconds(60), "draining"));
        using var b = await OpsCli.StartAsync(stage.DeployArgs("--skip", "create-iam")); // straight to the lease: create-iam ran in A
        var codes = await Task.WhenAll(a.WaitForExit(TimeSpan.FromMinutes(3)), b.WaitForExit(TimeSpan.FromMinutes(3)));
        output.WriteLine($"A exited {codes[0]}:\n{a.Out}{a.Err}\nB exited {codes[1]}:\n{b.Out}{b.Err}");

        Assert.Equal([0, 1], codes);
        Assert.Contains("held by ", b.Out + b.Err);
        Assert.Contains($"pid {a.Id}", b.Out + b.Err);
        Assert.DoesNotContain("held by ", a.Out + a.Err);
        Assert.Single(await stage.RecordsAsync(), r => r["from_task_definition"].S == from);
        await _checks.AssertDeployedAsync(stage, new CliRun("deploy-worker (A)", codes[0], a.Out, a.Err), from, first);
        await Task.Delay(1000);
        await stage.AssertAllProcessedAsync(load, held);
        await stage.TerminateAsync();
    }
}
