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
    const string KillAck = RolloutChecks.KillAck;
    const string TaskProtection = RolloutChecks.TaskProtection;
    readonly RolloutChecks _checks = new(cloud, output);

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
        var stage = new RolloutStage(cloud, output, RolloutChecks.StageName("ropy", strategy), strategy, command: $"[python3, \"{script}\"]");
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        await Task.Delay(1000);

        var run = await stage.RunAsync(stage.DeployArgs());
        var (record, _) = await _checks.AssertDeployedAsync(stage, run, from, first);
        if (strategy == KillAck)
        {
            // Acknowledged through the Python worker's own records, not only through the worker log.
            var acks = await stage.AcksAsync(record["rollout_id"].S);
            Assert.True(acks.Keys.ToHashSet().SetEquals(first), $"acknowledgement records {string.Join(", ", acks.Keys)} ≠ tasks {string.Join(", ", first)}\n{run}");
            Assert.All(first, task => Assert.Contains($"acknowledged {task} (rev", run.Text));
        }
        var quiet = await _checks.QuietSinceAsync(stage, record, first);
        var items = await stage.AssertAllProcessedAsync(load);
        RolloutStage.AssertNoWorkAfter(items, quiet, "a drained Python worker");
        await stage.TerminateAsync();
    }

    [Theory]
    [InlineData(KillAck)]
    [InlineData(TaskProtection)]
    public async Task Two_deploy_workers_in_a_row_under_load_end_on_the_newest_revision_with_every_message_processed_and_stale_kills_harmless(string strategy)
    {
        var stage = new RolloutStage(cloud, output, RolloutChecks.StageName("rotwice", strategy), strategy);
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        await Task.Delay(1000);

        // First rollout.
        var run = await stage.RunAsync(stage.DeployArgs());
        var (record, running) = await _checks.AssertDeployedAsync(stage, run, from, first);
        var quiet = await _checks.QuietSinceAsync(stage, record, first);
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
        await _checks.AssertNotHaltedAsync(stage, await cloud.LogItemsAsync(stage.Stack.WorkerLogTable), fresh, [rolloutId, staleRollout, otherRollout]);

        // Second rollout over the first one's workers.
        var again = await stage.RunAsync(stage.DeployArgs());
        var (second, finalTasks) = await _checks.AssertDeployedAsync(stage, again, to, fresh);
        Assert.NotEqual(rolloutId, second["rollout_id"].S);
        foreach (var (task, at) in await _checks.QuietSinceAsync(stage, second, fresh)) quiet[task] = at;
        await Task.Delay(1000);

        var items = await stage.AssertAllProcessedAsync(load);
        RolloutStage.AssertNoWorkAfter(items, quiet, strategy == KillAck ? "acknowledged its drain" : "was told to stop");
        var last = finalTasks.Select(EndToEndCloud.TaskId).ToList();
        Assert.True(items.Any(i => last.Contains(i["server"].S) && i["status"].S == "done"), "the newest workers processed nothing");
        await _checks.AssertNotHaltedAsync(stage, items, last, [rolloutId, second["rollout_id"].S, staleRollout, otherRollout]);
        await stage.TerminateAsync();
    }

    [Fact]
    public async Task A_worker_busy_beyond_the_drain_timeout_fails_the_rollout_naming_its_task_deploys_nothing_and_a_rerun_resumes()
    {
        var stage = new RolloutStage(cloud, output, "robusy", KillAck);
        var tasks = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        // Busy past deploy-worker's start (seconds on a busy machine) plus its 10 s drain; the worker keeps it hidden meanwhile.
        var longOne = await stage.SendAsync(SteadyLoad.Sleep(40_000));
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
        var rerun = await stage.RunAsync(stage.DeployArgs("--drain-timeout", "2m", "--output", "json")); // the busy one may still be busy
        var (done, _) = await _checks.AssertDeployedAsync(stage, rerun, from, tasks, drainedByThisRun: false);
        var results = rerun.Results();
        Assert.Equal(["shutdown-ecs-workers drained true", "update-ecs completed true"], results.Select(r => $"{r["target"]} {r["phase"]} {r["ok"]}"));
        Assert.All(results, r => Assert.Equal(done["rollout_id"].S, (string?)r["rollout_id"]));
        Assert.Equal(done["to_task_definition"].S, (string?)results[1]["to_task_definition"]);
        Assert.Contains($"acknowledged {busy}", rerun.Text); // the idle one was acknowledged by the first run
        Assert.Equal(record["rollout_id"].S, done["rollout_id"].S);
        var items = await stage.AssertAllProcessedAsync(load, [longOne]);
        RolloutStage.AssertNoWorkAfter(items, await _checks.QuietSinceAsync(stage, done, tasks), "acknowledged its drain");
        await stage.TerminateAsync();
    }

    [Theory]
    [InlineData(KillAck)]
    [InlineData(TaskProtection)]
    public async Task A_new_revision_whose_workers_crash_is_rolled_back_to_the_previous_one_which_processes_again(string strategy)
    {
        var stage = new RolloutStage(cloud, output, RolloutChecks.StageName("rocrash", strategy), strategy);
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
    [InlineData(KillAck)]
    [InlineData(TaskProtection)]
    public async Task The_whole_rollout_succeeds_with_30_percent_throttling_and_server_errors_injected(string strategy)
    {
        var stage = new RolloutStage(cloud, output, RolloutChecks.StageName("rofault", strategy), strategy);
        var first = (await stage.CreateAsync()).Select(EndToEndCloud.TaskId).ToList();
        var from = (await stage.ServiceAsync()).TaskDefinition!;
        await using var load = await stage.StartLoadAsync();
        var start = DateTimeOffset.UtcNow;
        CliRun run;
        try
        {
            cloud.Server.Faults.Add(new FaultRule { Fraction = 0.15, Throttle = true });
            cloud.Server.Faults.Add(new FaultRule { Fraction = 0.15 / 0.85, ServerError = 503 }); // 15 % of all calls, after the throttling rule
            // The workers' own calls fail too, and their retries back off: a kill message can wait behind the load for longer
            // than the stage's 30 s drain timeout, which would fail the drain safely (nothing deployed), not lose anything.
            run = await stage.RunAsync(stage.DeployArgs("--drain-timeout", "2m"));
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
        var served = cloud.Server.Requests.Entries.Where(e => e.At >= start).ToList();
        var faulted = served.Count(e => e.Status >= 500 || (e.ErrorCode ?? "").Contains("Throttl") || e.ErrorCode == "ProvisionedThroughputExceededException");
        output.WriteLine($"{faulted} of {served.Count} calls faulted ({100.0 * faulted / Math.Max(1, served.Count):0} %)");
        Assert.True(faulted > served.Count / 5, $"only {faulted} of {served.Count} calls were faulted");

        await _checks.AssertDeployedAsync(stage, run, from, first);
        await Task.Delay(1000);
        await stage.AssertAllProcessedAsync(load);
        await stage.TerminateAsync();
    }
}
