using System.Collections;
using Ops.Aws;
using Ops.Aws.Sqs;
using Ops.Contracts;

namespace Ops.Worker;

/// <summary>
/// The worker's entry point: reads its settings from the environment, connects, and runs the receive loop until SIGTERM.
/// Exit codes: 0 stopped cleanly, 1 an error no retry could fix, 2 a bad setting (one line on stderr naming it).
/// </summary>
internal static class Program
{
    public static async Task<int> Main()
    {
        var clock = TimeProvider.System;
        var startedAt = clock.GetUtcNow();
        var output = new WorkerOutput(Console.Out, Console.Error, clock);
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        using var signals = new ShutdownSignals(output);
        var stopping = signals.Stopping;
        try
        {
            var config = WorkerConfig.FromEnvironment(environment);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var identity = await new TaskMetadata(http, output, clock).ResolveAsync(environment, startedAt, stopping).ConfigureAwait(false);
            var connection = WorkerConnection.Create(config, identity);
            var retry = new RetryPolicy(output, clock);

            using var sqs = new SqsClient(connection);
            using var dynamo = AwsConnectionFactory.CreateDynamoDb(connection);
            var queue = await WorkQueue.OpenAsync(sqs, retry, config.WorkQueue, config.WaitSeconds, stopping).ConfigureAwait(false);
            var workerUuid = Guid.NewGuid().ToString();
            var log = new WorkerLog(dynamo, retry, config.WorkerLogTable, workerUuid, identity.Server, new WorkerTimestamps(clock));
            await log.VerifyAsync(stopping).ConfigureAwait(false);

            await using var protection = new TaskProtection(http, config.Drain == DrainStrategy.TaskProtection ? config.AgentUri : null,
                queue.VisibilityTimeoutSeconds, output, clock);
            output.Info($"worker {identity.Server} started: stage {config.Stage}, queue {queue.Name} (visibility {queue.VisibilityTimeoutSeconds}s, " +
                        $"long poll {queue.WaitSeconds}s), worker log {log.Table}, worker_uuid {workerUuid}, concurrency {config.Concurrency}, " +
                        $"revision {(identity.Revision.Length > 0 ? identity.Revision : "unknown")}, drain {Describe(config, protection)}, via {connection}");
            var loop = new WorkerLoop(queue, WorkerActionRegistry.BuiltIn(clock), log, [new KillMessageHandler(identity, clock)], protection,
                new AckRecord(dynamo, identity, workerUuid, output, clock), output,
                new WorkerActionContextFactory(config.Stage, identity.Server, config.ReportQueue), clock);
            // The current messages are finished after SIGTERM; only the supervisor's SIGKILL interrupts them.
            var fatal = await loop.RunAsync(config.Concurrency, stopping, CancellationToken.None).ConfigureAwait(false);
            if (fatal != null)
            {
                output.Warn($"stopping: receiving from {queue.Name} failed ({TransientErrors.Describe(fatal)}); check the queue and this task's permissions (sqs:ReceiveMessage)");
                return 1;
            }
            output.Info($"worker {identity.Server} stopped: {loop.Succeeded} done, {loop.Failed} failed{(loop.Drained ? " (drained)" : "")}");
            return 0;
        }
        catch (WorkerConfigException e)
        {
            Console.Error.WriteLine($"ops-worker: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            output.Info("stopped before the first message");
            return 0;
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonClientException)
        {
            output.Warn($"stopping: {TransientErrors.Describe(e)}");
            return 1;
        }
    }

    static string Describe(WorkerConfig config, TaskProtection protection) => config.Drain switch
    {
        DrainStrategy.TaskProtection when protection.Enabled => $"task-protection (expires in {protection.ExpiresInMinutes} min)",
        DrainStrategy.TaskProtection => "task-protection, but ECS_AGENT_URI is not set (not on ECS): no protection calls",
        _ => DrainStrategies.KillAck,
    };
}
