using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Contracts;

namespace Ops.Worker;

/// <summary>
/// The worker-log table (the original's schema, docs/worker.md): one item per processed message, created
/// <c>executing</c> when work starts and updated to <c>done</c> or <c>error: …</c> with its execution time.
/// </summary>
internal sealed class WorkerLog(IAmazonDynamoDB dynamo, RetryPolicy retry, string table, string workerUuid, string server, WorkerTimestamps timestamps)
{
    /// <summary>Attempts for one write: about a minute of retries.</summary>
    const int Attempts = 8;

    public string Table => table;

    /// <summary>Checks that the table exists; a missing table is a configuration error.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await retry.RunAsync($"DynamoDB DescribeTable {table}",
                ct => dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct), attempts: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            throw new WorkerConfigException($"OPS_WORKER_LOG_TABLE: the table {table} does not exist; create it (./build.sh create-worker-log-table --stage <stage>) or fix the name.");
        }
    }

    /// <summary>Writes the item for a message whose work starts now, status <c>executing</c>.</summary>
    public async Task<WorkerLogEntry> StartAsync(string task, string arguments, string messageId, CancellationToken cancellationToken)
    {
        var entry = new WorkerLogEntry(workerUuid, timestamps.Next());
        var item = new Dictionary<string, AttributeValue>
        {
            ["worker_uuid"] = new() { S = entry.WorkerUuid },
            ["timestamp"] = new() { S = entry.Timestamp },
            ["task"] = new() { S = task },
            ["status"] = new() { S = WorkerLogFormat.Executing },
            ["arguments"] = new() { S = arguments },
            ["message_id"] = new() { S = messageId },
            ["server"] = new() { S = server },
        };
        await retry.RunAsync($"DynamoDB PutItem {table}",
            ct => dynamo.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, ct), Attempts, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>
    /// Writes the drain's item (docs/drain-protocol.md): task <c>apps.sqsworker.worker.WorkerShutDownAction</c>, status
    /// <c>ShutDown-0</c>, the kill message's arguments and id, and the seconds from receiving it to the acknowledgement.
    /// </summary>
    public Task WriteShutDownAsync(string arguments, TimeSpan executionTime, string messageId, CancellationToken cancellationToken)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["worker_uuid"] = new() { S = workerUuid },
            ["timestamp"] = new() { S = timestamps.Next() },
            ["task"] = new() { S = KillMessageFormat.Task },
            ["status"] = new() { S = WorkerLogFormat.ShutDownStatus },
            ["arguments"] = new() { S = arguments },
            ["execution_time"] = new() { N = executionTime.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture) },
            ["message_id"] = new() { S = messageId },
            ["server"] = new() { S = server },
        };
        return retry.RunAsync($"DynamoDB PutItem {table}",
            ct => dynamo.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, ct), Attempts, cancellationToken);
    }

    /// <summary>Records the outcome: <c>done</c> or <c>error: …</c>, and how long the work took.</summary>
    public Task FinishAsync(WorkerLogEntry entry, string status, TimeSpan executionTime, CancellationToken cancellationToken) =>
        retry.RunAsync($"DynamoDB UpdateItem {table}",
            ct => dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = new Dictionary<string, AttributeValue>
                {
                    ["worker_uuid"] = new() { S = entry.WorkerUuid },
                    ["timestamp"] = new() { S = entry.Timestamp },
                },
                UpdateExpression = "SET #status = :status, #execution_time = :execution_time",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#status"] = "status", ["#execution_time"] = "execution_time" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":status"] = new() { S = status },
                    [":execution_time"] = new() { N = executionTime.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture) },
                },
            }, ct),
            Attempts, cancellationToken);
}
