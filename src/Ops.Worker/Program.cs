using System.Collections;
using Ops.Aws;
using Ops.Aws.Sqs;

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
        var output = new WorkerOutput(Console.Out, Console.Error, clock);
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        using var signals = new ShutdownSignals(output);
        var stopping = signals.Stopping;
        try
        {
            var config = WorkerConfig.FromEnvironment(environment);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var identity = await new TaskMetadata(http, output, clock).ResolveAsync(environment, stopping).ConfigureAwait(false);
            var connection = WorkerConnection.Create(config, identity);
            var retry = new RetryPolicy(output, clock);

            using var sqs = new SqsClient(connection);
            using var dynamo = AwsConnectionFactory.CreateDynamoDb(connection);
            var queue = await WorkQueue.OpenAsync(sqs, retry, config.WorkQueue, config.WaitSeconds, stopping).ConfigureAwait(false);
            var workerUuid = Guid.NewGuid().ToString();
            var log = new WorkerLog(dynamo, retry, config.WorkerLogTable, workerUuid, identity.Server, new WorkerTimestamps(clock));
            await log.VerifyAsync(stopping).ConfigureAwait(false);

            output.Info($"worker {identity.Server} started: stage {config.Stage}, queue {queue.Name} (visibility {queue.VisibilityTimeoutSeconds}s, " +
                        $"long poll {queue.WaitSeconds}s), worker log {log.Table}, worker_uuid {workerUuid}, concurrency {config.Concurrency}, via {connection}");
            var loop = new WorkerLoop(queue, WorkerActionRegistry.BuiltIn(clock), log, [], output,
                new WorkerActionContextFactory(config.Stage, identity.Server, config.ReportQueue), clock);
            // The current messages are finished after SIGTERM; only the supervisor's SIGKILL interrupts them.
            var fatal = await loop.RunAsync(config.Concurrency, stopping, CancellationToken.None).ConfigureAwait(false);
            if (fatal != null)
            {
                output.Warn($"stopping: receiving from {queue.Name} failed ({TransientErrors.Describe(fatal)}); check the queue and this task's permissions (sqs:ReceiveMessage)");
                return 1;
            }
            output.Info($"worker {identity.Server} stopped: {loop.Succeeded} done, {loop.Failed} failed");
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
}
