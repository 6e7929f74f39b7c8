using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Contracts;

namespace Ops.Worker;

/// <summary>
/// Writes the acknowledgement record of a drain (docs/drain-protocol.md) to the kill message's <c>ack_table</c> with an
/// unconditional PutItem, retrying every failure (a missing table, denied access, faults) until it succeeds or SIGTERM.
/// </summary>
internal sealed class AckRecord(IAmazonDynamoDB dynamo, WorkerIdentity identity, string workerUuid, WorkerOutput output, TimeProvider clock)
{
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>True once written; false when <paramref name="stopping"/> ended the retries first (at least one attempt is made).</summary>
    public async Task<bool> WriteAsync(KillMessage kill, string killMessageId, int finished, CancellationToken stopping)
    {
        var table = kill.AckTable ?? throw new ArgumentException("the kill message names no ack_table", nameof(kill));
        var item = new Dictionary<string, AttributeValue>
        {
            [AckRecordFormat.PartitionKey] = new() { S = AckRecordFormat.Partition(kill.RolloutId) },
            [AckRecordFormat.SortKey] = new() { S = identity.Server },
            [AckRecordFormat.RolloutId] = new() { S = kill.RolloutId },
            [AckRecordFormat.TaskId] = new() { S = identity.Server },
            [AckRecordFormat.TaskArn] = new() { S = identity.TaskArn ?? "" },
            [AckRecordFormat.Revision] = new() { S = identity.Revision },
            [AckRecordFormat.WorkerUuid] = new() { S = workerUuid },
            [AckRecordFormat.AckedAt] = new() { S = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
            [AckRecordFormat.KillMessageId] = new() { S = killMessageId },
            [AckRecordFormat.Finished] = new() { N = finished.ToString(CultureInfo.InvariantCulture) },
        };
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Not cancelled by SIGTERM: a write already under way is worth finishing.
                await dynamo.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, CancellationToken.None).ConfigureAwait(false);
                if (attempt > 1) output.Info($"drain: acknowledgement written to {table} on attempt {attempt}");
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                if (stopping.IsCancellationRequested)
                {
                    output.Warn($"drain: could not write the acknowledgement to {table} ({TransientErrors.Describe(e)}); stopping as asked without it");
                    return false;
                }
                output.Warn($"drain: could not write the acknowledgement to {table} ({TransientErrors.Describe(e)}); retrying in {delay.TotalSeconds:0.0}s (attempt {attempt + 1}; until it succeeds or SIGTERM)");
                try
                {
                    await Task.Delay(delay, clock, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    output.Warn($"drain: stopping as asked before the acknowledgement was written to {table}");
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}
