using Amazon.DynamoDBv2.Model;
using Ops.Aws.Ecs;
using Xunit.Abstractions;

namespace Ops.Stack.Tests;

/// <summary>What the rollout end-to-end tests (<see cref="RolloutEndToEndTests"/>, <see cref="RolloutKillEndToEndTests"/>) check after a
/// deploy-worker: the record, the drained tasks, the steady service, and that no new worker was drained.</summary>
public sealed class RolloutChecks(EndToEndCloud cloud, ITestOutputHelper output)
{
    public const string KillAck = "kill-ack";
    public const string TaskProtection = "task-protection";

    /// <summary>A stage name of its own per test (LocalCloud is shared by the collection).</summary>
    public static string StageName(string prefix, string strategy) => prefix + (strategy == KillAck ? "ka" : "tp");

    /// <summary>
    /// The tasks that drained in a rollout and from when each must be idle: with kill-ack its acknowledgement record's
    /// acked_at (every task of the record must have one), with task-protection the moment its worker saw SIGTERM (or ECS
    /// began stopping it, when the worker logged no SIGTERM).
    /// </summary>
    public async Task<Dictionary<string, DateTimeOffset>> QuietSinceAsync(
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
    public async Task<(Dictionary<string, AttributeValue> Record, List<EcsTask> Running)> AssertDeployedAsync(RolloutStage stage, CliRun run, string from,
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
    public async Task AssertNotHaltedAsync(RolloutStage stage, List<Dictionary<string, AttributeValue>> items, IReadOnlyCollection<string> fresh,
        IEnumerable<string> rollouts)
    {
        var shutDowns = items.Where(i => i["task"].S == RolloutStage.ShutDownTask && fresh.Contains(i["server"].S)).ToList();
        Assert.True(shutDowns.Count == 0, $"a worker of the new revision drained: {string.Join("; ", shutDowns.Select(i => $"{i["server"].S} at {i["timestamp"].S}: {i["arguments"].S}"))}");
        foreach (var rollout in rollouts)
            Assert.Empty((await stage.AcksAsync(rollout)).Keys.Intersect(fresh));
        var running = (await stage.RunningAsync()).Select(EndToEndCloud.TaskId).ToHashSet();
        Assert.True(running.IsSupersetOf(fresh), $"a worker of the new revision stopped: running {string.Join(", ", running)}, expected {string.Join(", ", fresh)}");
    }
}
