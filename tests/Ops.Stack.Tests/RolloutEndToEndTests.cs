using Amazon.DynamoDBv2.Model;
using Ops.Aws.Ecs;
using Ops.LocalCloud.Diagnostics;
using Xunit.Abstractions;

namespace Ops.Stack.Tests;

/// <summary>
/// Issue 10's rollout end to end, as a user runs it: <c>./build.sh deploy-worker</c> (and its parts) as a child process
/// against the collection's in-process LocalCloud, real Ops.Worker processes from the stack's local.command, a steady stream
/// of Sleep messages throughout. Checked through the worker log, the rollout table, ECS and the request log: every message
/// processed, drained workers idle for good, stale kill messages harmless, timeouts and crashing revisions deploying nothing
/// or rolled back, kill -9 at each phase recovered by a re-run, one rollout at a time, faults survived.
/// </summary>
[Collection(EndToEndCloudCollection.Name)]
public sealed class RolloutEndToEndTests(EndToEndCloud cloud, ITestOutputHelper output)
{
    const string KillAck = "kill-ack";
    const string TaskProtection = "task-protection";

    /// <summary>A stage name of its own per test (LocalCloud is shared by the collection).</summary>
    static string StageName(string prefix, string strategy) => prefix + (strategy == KillAck ? "ka" : "tp");

    /// <summary>
    /// The tasks that drained in a rollout and from when each must be idle: with kill-ack its acknowledgement record's
    /// acked_at (every task of the record must have one), with task-protection the moment its worker saw SIGTERM (or ECS
    /// began stopping it, when the worker logged no SIGTERM).
    /// </summary>
    async Task<Dictionary<string, DateTimeOffset>> QuietSinceAsync(
        RolloutStage stage, Dictionary<string, AttributeValue> record, IReadOnlyCollection<string> oldTasks)
    {
        var quiet = new Dictionary<string, DateTimeOffset>();
        if (record["strategy"].S == KillAck)
        {
            var acks = await stage.AcksAsync(record["rollout_id"].S);
            foreach (var task in oldTasks)
            {
                Assert.True(acks.ContainsKey(task), $"task {task} drained without an acknowledgement record; acks: {string.Join(", ", acks.Keys)}");
                quiet[task] = RolloutStage.Time(acks[task]["acked_at"].S);
            }
        }
        else
        {
            foreach (var task in oldTasks)
            {
                var stopped = await cloud.WaitForTaskAsync(stage.Stack.Ecs.Cluster, task, "STOPPED");
                var stopping = stopped.StoppingAt ?? stopped.StoppedAt!.Value;
                // The worker learns of the stop when SIGTERM arrives, a moment after ECS records it.
                var sigterm = await stage.SigtermSeenAtAsync(task);
                quiet[task] = sigterm is { } seen && seen > stopping ? seen : stopping;
                output.WriteLine($"task {task}: stopping at {stopping:O}, worker saw SIGTERM at {sigterm?.ToString("O") ?? "(no line)"}");
            }
        }
        return quiet;
    }

    /// <summary>What a successful deploy-worker must have left: exit 0, a completed record, every old task drained, the service steady on the new
    /// revision.</summary>
    async Task<(Dictionary<string, AttributeValue> Record, List<EcsTask> Running)> AssertDeployedAsync(RolloutStage stage, CliRun run, string from,
        IReadOnlyCollection<string> oldTasks, bool drainedByThisRun = true)
    {
        Assert.True(run.ExitCode == 0, run + await stage.WorkerLinesAsync(oldTasks, "kill message"));
        var record = (await stage.NewestRecordAsync())!;
        Assert.NotNull(record);
        Assert.Equal("completed", record["phase"].S);
        Assert.Equal(stage.Strategy, record["strategy"].S);
        Assert.Equal(from, record["from_task_definition"].S);
        var to = record["to_task_definition"].S;
        Assert.NotEqual(from, to);
        Assert.Equal(RolloutStage.Revision(from).Split(':')[0], RolloutStage.Revision(to).Split(':')[0]);
        Assert.True(int.Parse(RolloutStage.Revision(to).Split(':')[1]) > int.Parse(RolloutStage.Revision(from).Split(':')[1]), $"{to} is not newer than {from}");
        if (stage.Strategy == KillAck)
        {
            if (drainedByThisRun)
            {
                foreach (var task in oldTasks) Assert.Contains($"acknowledged {task}", run.Text);
                Assert.Contains($"acknowledged {oldTasks.Count}/{oldTasks.Count}", run.Text);
            }
            Assert.True(record["drained_at"].S.Length > 0 && record["update_called_at"].S.Length > 0, "the record lacks drained_at or update_called_at");
            Assert.True(RolloutStage.Time(record["drained_at"].S) <= RolloutStage.Time(record["update_called_at"].S), "UpdateService was called before the drain ended");
        }
        var tasks = record.TryGetValue("tasks", out var map) ? map.M : [];
        foreach (var task in stage.Strategy == KillAck ? oldTasks : [])
        {
            Assert.True(tasks.ContainsKey(task), $"the record does not track task {task}: {string.Join(", ", tasks.Keys)}");
            var state = tasks[task].M["state"].S;
            Assert.True(state is "acknowledged" or "stopped" or "replaced", $"task {task} ended {state} in the record");
        }
        var running = await stage.WaitSteadyOnAsync(to);
        Assert.Empty(running.Select(EndToEndCloud.TaskId).Intersect(oldTasks));
        return (record, running);
    }

    /// <summary>No worker of the new revision was drained: none wrote ShutDown-0, none acknowledged in <paramref name="rollouts"/>, all still run.</summary>
    async Task AssertNotHaltedAsync(RolloutStage stage, List<Dictionary<string, AttributeValue>> items, IReadOnlyCollection<string> fresh,
        IEnumerable<string> rollouts)
    {
        var shutDowns = items.Where(i => i["task"].S == RolloutStage.ShutDownTask && fresh.Contains(i["server"].S)).ToList();
        Assert.True(shutDowns.Count == 0, $"a worker of the new revision drained: {string.Join("; ", shutDowns.Select(i => $"{i["server"].S} at {i["timestamp"].S}: {i["arguments"].S}"))}");
        foreach (var rollout in rollouts)
            Assert.Empty((await stage.AcksAsync(rollout)).Keys.Intersect(fresh));
        var running = (await stage.RunningAsync()).Select(EndToEndCloud.TaskId).ToHashSet();
        Assert.True(running.IsSupersetOf(fresh), $"a worker of the new revision stopped: running {string.Join(", ", running)}, expected {string.Join(", ", fresh)}");
    }

    /// <summary>
    /// A worker that is not Ops.Worker: workers/python/drain_worker.py, written from docs/drain-protocol.md alone, run by the
    /// stack's local.command. deploy-worker drains it by its acknowledgement records and replaces it, and no message is lost.
    /// </summary>
    [Theory]
    [InlineData(KillAck)]
    [InlineData(TaskProtection)]
    public async Task A_Python_worker_written_from_the_protocol_doc_is_drained_and_replaced_under_load_with_every_message_processed(string strategy)
    {
        var script = Path.Combine(FleetCloud.RepositoryRoot, "workers", "python", "drain_worker.py");
        Assert.True(File.Exists(script), $"{script} is missing");
        var stage = new RolloutStage(cloud, output, StageName("ropy", strategy), strategy, command: $"[python3, \"{script}\"]");
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        await Task.Delay(1000);

        var run = await stage.RunAsync(stage.DeployArgs());
        var (record, _) = await AssertDeployedAsync(stage, run, from, first);
        if (strategy == KillAck)
        {
            // Acknowledged through the Python worker's own records, not only through the worker log.
            var acks = await stage.AcksAsync(record["rollout_id"].S);
            Assert.True(acks.Keys.ToHashSet().SetEquals(first), $"acknowledgement records {string.Join(", ", acks.Keys)} ≠ tasks {string.Join(", ", first)}\n{run}");
            Assert.All(first, task => Assert.Contains($"acknowledged {task} (rev", run.Text));
        }
        var quiet = await QuietSinceAsync(stage, record, first);
        var items = await stage.AssertAllProcessedAsync(load);
        RolloutStage.AssertNoWorkAfter(items, quiet, "a drained Python worker");
        await stage.TerminateAsync();
    }

    [Theory]
    [InlineData(KillAck)]
    [InlineData(TaskProtection)]
    public async Task Two_deploy_workers_in_a_row_under_load_end_on_the_newest_revision_with_every_message_processed_and_stale_kills_harmless(string strategy)
    {
        var stage = new RolloutStage(cloud, output, StageName("rotwice", strategy), strategy);
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        await Task.Delay(1000);

        // First rollout.
        var run = await stage.RunAsync(stage.DeployArgs());
        var (record, running) = await AssertDeployedAsync(stage, run, from, first);
        var quiet = await QuietSinceAsync(stage, record, first);
        var rolloutId = record["rollout_id"].S;
        var to = record["to_task_definition"].S;
        var fresh = running.Select(EndToEndCloud.TaskId).ToList();

        // Kill messages that must not halt a worker of the new revision, sent while the load goes on.
        await Task.Delay(1000); // so that "now" is after every new worker started
        var now = DateTimeOffset.UtcNow;
        var startedAt = RolloutStage.Time(record["started_at"].S);
        var table = stage.RolloutTable;
        var staleRollout = $"r-{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-e2e001";
        var otherRollout = $"r-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-e2e002";
        var kills = new[]
        {
            // A duplicate of this rollout's kill message for an old task (now stopped): circulates until it expires.
            RolloutStage.KillMessage(rolloutId, first[0], RolloutStage.Revision(from), startedAt, now.AddSeconds(40), table),
            // Sent before the new workers started, naming one of them (clocks that disagree): stale, deleted.
            RolloutStage.KillMessage(staleRollout, fresh[0], RolloutStage.Revision(to), startedAt, now.AddSeconds(40), table),
            // For a new task but the old revision: not its message.
            RolloutStage.KillMessage(otherRollout, fresh[^1], RolloutStage.Revision(from), now, now.AddSeconds(40), table),
            // Aimed right at a new worker, sent after it started, but expired.
            RolloutStage.KillMessage(otherRollout, fresh[0], RolloutStage.Revision(to), now.AddMilliseconds(-300), now.AddMilliseconds(-100), table),
            // The old invoke task's shape, sent before the new workers started.
            RolloutStage.KillMessage(null, null, null, startedAt, null, null),
        };
        foreach (var body in kills) await stage.SendAsync(body);
        await Task.Delay(3000);
        await AssertNotHaltedAsync(stage, await cloud.LogItemsAsync(stage.Stack.WorkerLogTable), fresh, [rolloutId, staleRollout, otherRollout]);

        // Second rollout over the first one's workers.
        var again = await stage.RunAsync(stage.DeployArgs());
        var (second, finalTasks) = await AssertDeployedAsync(stage, again, to, fresh);
        Assert.NotEqual(rolloutId, second["rollout_id"].S);
        foreach (var (task, at) in await QuietSinceAsync(stage, second, fresh)) quiet[task] = at;
        await Task.Delay(1000);

        var items = await stage.AssertAllProcessedAsync(load);
        RolloutStage.AssertNoWorkAfter(items, quiet, strategy == KillAck ? "acknowledged its drain" : "was told to stop");
        var last = finalTasks.Select(EndToEndCloud.TaskId).ToList();
        Assert.True(items.Any(i => last.Contains(i["server"].S) && i["status"].S == "done"), "the newest workers processed nothing");
        await AssertNotHaltedAsync(stage, items, last, [rolloutId, second["rollout_id"].S, staleRollout, otherRollout]);
        await stage.TerminateAsync();
    }

    [Fact]
    public async Task A_worker_busy_beyond_the_drain_timeout_fails_the_rollout_naming_its_task_deploys_nothing_and_a_rerun_resumes()
    {
        var stage = new RolloutStage(cloud, output, "robusy", KillAck);
        var tasks = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        var longOne = await stage.SendAsync(SteadyLoad.Sleep(20_000));
        var executing = await cloud.WaitForLogAsync(stage.Stack.WorkerLogTable, items => items.Any(i => i["message_id"].S == longOne),
            items => $"nobody took {longOne}");
        var busy = executing.Single(i => i["message_id"].S == longOne)["server"].S;
        var idle = tasks.Single(t => t != busy);
        await using var load = await stage.StartLoadAsync();

        var start = DateTimeOffset.UtcNow;
        var run = await stage.RunAsync(stage.DeployArgs("--drain-timeout", "10s", "--output", "json"));
        Assert.True(run.ExitCode == 1, run.ToString());
        // --output json: stdout holds just the rollout result of the failed drain (docs/output.md); update-ecs never ran.
        var failed = Assert.Single(run.Results());
        Assert.Equal(("rollout", "shutdown-ecs-workers", false, "draining"), ((string?)failed["result"], (string?)failed["target"], (bool)failed["ok"]!, (string?)failed["phase"]));
        Assert.Equal("pending", (string?)failed["tasks"]!.AsArray().Single(t => (string?)t!["task"] == busy)!["state"]);
        Assert.Contains($"acknowledged {idle}", run.Text);
        var reportLines = run.Text.Split('\n').Where(l => l.Contains(busy)).ToList();
        Assert.True(reportLines.Count > 0, $"the timeout report does not name {busy}:\n{run}");
        Assert.DoesNotContain($"acknowledged {busy}", run.Text);
        Assert.DoesNotContain("   at ", run.Text);
        Assert.Equal(0, stage.UpdateServiceCallsSince(start));
        Assert.Equal(0, cloud.Server.Requests.Entries.Count(e => e.At >= start && e.Operation == "RegisterTaskDefinition"));
        Assert.Equal(from, (await stage.ServiceAsync()).TaskDefinition);
        var record = (await stage.NewestRecordAsync())!;
        Assert.Equal("draining", record["phase"].S);
        Assert.True(record.ContainsKey("last_timeout_at"), "the record does not say the drain timed out");
        Assert.Equal("pending", record["tasks"].M[busy].M["state"].S);
        Assert.Equal("acknowledged", record["tasks"].M[idle].M["state"].S);

        // describe-ecs shows where each task's drain stands.
        var described = (await stage.DescribeJsonAsync())["tasks"]!.AsArray();
        string? Drain(string id) => described.FirstOrDefault(t => (string?)t!["id"] == id)?["drain"] switch
        {
            System.Text.Json.Nodes.JsonValue v => (string?)v,
            System.Text.Json.Nodes.JsonObject o => (string?)o["state"],
            _ => null,
        };
        Assert.Equal("pending", Drain(busy));
        Assert.Equal("acknowledged", Drain(idle));

        // update-ecs alone will not deploy over a worker that has not acknowledged.
        var refused = await stage.RunAsync("update-ecs");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Equal(0, stage.UpdateServiceCallsSince(start));

        // Once the busy worker finishes and acknowledges, a re-run resumes the same rollout and deploys.
        var rerun = await stage.RunAsync(stage.DeployArgs("--output", "json"));
        var (done, _) = await AssertDeployedAsync(stage, rerun, from, tasks, drainedByThisRun: false);
        var results = rerun.Results();
        Assert.Equal(["shutdown-ecs-workers drained true", "update-ecs completed true"], results.Select(r => $"{r["target"]} {r["phase"]} {r["ok"]}"));
        Assert.All(results, r => Assert.Equal(done["rollout_id"].S, (string?)r["rollout_id"]));
        Assert.Equal(done["to_task_definition"].S, (string?)results[1]["to_task_definition"]);
        Assert.Contains($"acknowledged {busy}", rerun.Text); // the idle one was acknowledged by the first run
        Assert.Equal(record["rollout_id"].S, done["rollout_id"].S);
        var items = await stage.AssertAllProcessedAsync(load, [longOne]);
        RolloutStage.AssertNoWorkAfter(items, await QuietSinceAsync(stage, done, tasks), "acknowledged its drain");
        await stage.TerminateAsync();
    }

    [Theory]
    [InlineData(KillAck)]
    [InlineData(TaskProtection)]
    public async Task A_new_revision_whose_workers_crash_is_rolled_back_to_the_previous_one_which_processes_again(string strategy)
    {
        var stage = new RolloutStage(cloud, output, StageName("rocrash", strategy), strategy);
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        await Task.Delay(500);

        stage.WriteStack(", OPS_WORKER_CONCURRENCY: \"0\""); // the worker rejects it and exits 2
        var run = await stage.RunAsync(stage.DeployArgs());
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"rolled back to {RolloutStage.Revision(from)}", run.Text);
        Assert.DoesNotContain("   at ", run.Text);
        var record = (await stage.NewestRecordAsync())!;
        Assert.Equal("rolled-back", record["phase"].S);
        Assert.True(record.TryGetValue("cause", out var cause) && cause.S.Length > 0, "the record does not say why it rolled back");
        Assert.NotEqual(from, record["to_task_definition"].S);

        var running = await stage.WaitSteadyOnAsync(from);
        await Task.Delay(1000);
        var items = await stage.AssertAllProcessedAsync(load);
        var now = running.Select(EndToEndCloud.TaskId).ToList();
        Assert.True(items.Any(i => now.Contains(i["server"].S) && i["status"].S == "done"), "no worker of the rolled-back service processed anything");
        await stage.TerminateAsync();
    }

    [Theory]
    [InlineData(KillAck, "draining")]
    [InlineData(KillAck, "drained")]
    [InlineData(KillAck, "updating")]
    [InlineData(KillAck, "rolling-back")]
    [InlineData(TaskProtection, "updating")]
    [InlineData(TaskProtection, "rolling-back")]
    public async Task Kill_9_of_deploy_worker_at_a_phase_then_a_rerun_ends_consistent_with_every_message_processed(string strategy, string phase)
    {
        var stage = new RolloutStage(cloud, output, StageName("ro9" + phase switch { "draining" => "dg", "drained" => "dd", "updating" => "up", _ => "rb" }, strategy), strategy);
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
            var (_, running) = await AssertDeployedAsync(stage, rerun, from, first, drainedByThisRun: phase == "draining");
            await Task.Delay(1000);
            var log = await stage.AssertAllProcessedAsync(load, extra);
            RolloutStage.AssertNoWorkAfter(log, await QuietSinceAsync(stage, record, first), strategy == KillAck ? "acknowledged its drain" : "was told to stop");
            await AssertNotHaltedAsync(stage, log, running.Select(EndToEndCloud.TaskId).ToList(), [record["rollout_id"].S]);
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
        var held = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => stage.SendAsync(SteadyLoad.Sleep(4000)))); // keeps the first one draining

        using var a = await OpsCli.StartAsync(stage.DeployArgs());
        Assert.Equal("draining", await stage.WaitForPhaseAsync(a, TimeSpan.FromSeconds(60), "draining"));
        using var b = await OpsCli.StartAsync(stage.DeployArgs());
        var codes = await Task.WhenAll(a.WaitForExit(TimeSpan.FromMinutes(3)), b.WaitForExit(TimeSpan.FromMinutes(3)));
        output.WriteLine($"A exited {codes[0]}:\n{a.Out}{a.Err}\nB exited {codes[1]}:\n{b.Out}{b.Err}");

        Assert.Equal([0, 1], codes);
        Assert.Contains("held by ", b.Out + b.Err);
        Assert.Contains($"pid {a.Id}", b.Out + b.Err);
        Assert.DoesNotContain("held by ", a.Out + a.Err);
        Assert.Single(await stage.RecordsAsync(), r => r["from_task_definition"].S == from);
        await AssertDeployedAsync(stage, new CliRun("deploy-worker (A)", codes[0], a.Out, a.Err), from, first);
        await Task.Delay(1000);
        await stage.AssertAllProcessedAsync(load, held);
        await stage.TerminateAsync();
    }

    [Theory]
    [InlineData(KillAck)]
    [InlineData(TaskProtection)]
    public async Task The_whole_rollout_succeeds_with_30_percent_throttling_and_server_errors_injected(string strategy)
    {
        var stage = new RolloutStage(cloud, output, StageName("rofault", strategy), strategy);
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        var start = DateTimeOffset.UtcNow;
        CliRun run;
        try
        {
            cloud.Server.Faults.Add(new FaultRule { Fraction = 0.15, Throttle = true });
            cloud.Server.Faults.Add(new FaultRule { Fraction = 0.15 / 0.85, ServerError = 503 }); // 15 % of all calls, after the throttling rule
            run = await stage.RunAsync(stage.DeployArgs());
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
        var served = cloud.Server.Requests.Entries.Where(e => e.At >= start).ToList();
        var faulted = served.Count(e => e.Status >= 500 || (e.ErrorCode ?? "").Contains("Throttl") || e.ErrorCode == "ProvisionedThroughputExceededException");
        output.WriteLine($"{faulted} of {served.Count} calls faulted ({100.0 * faulted / Math.Max(1, served.Count):0} %)");
        Assert.True(faulted > served.Count / 5, $"only {faulted} of {served.Count} calls were faulted");

        await AssertDeployedAsync(stage, run, from, first);
        await Task.Delay(1000);
        await stage.AssertAllProcessedAsync(load);
        await stage.TerminateAsync();
    }
}
