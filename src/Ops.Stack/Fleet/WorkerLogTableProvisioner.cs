using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Lookups;
using Ops.Contracts;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>
/// create-worker-log-table: the DynamoDB worker log (hash worker_uuid, range timestamp, GSI task-index on task+timestamp),
/// on-demand billing, SSE on, the stack's tags; waits until the table and its index are ACTIVE.
/// </summary>
public sealed class WorkerLogTableProvisioner(StageContext context)
{
    /// <summary>Creates or corrects the table; returns every change made (or, on a dry run, that would be made).</summary>
    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(context.Connection);
        var name = context.Stack.WorkerLogTable;
        var resource = $"table {name}";
        var changes = new List<Change>();
        var table = await DynamoDbLookup.TableAsync(dynamo, name, cancellationToken);
        if (table == null)
        {
            var change = new Change(resource, "table", null, "worker_uuid + timestamp, GSI task-index, PAY_PER_REQUEST, SSE");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await dynamo.CreateTableAsync(new CreateTableRequest
                {
                    TableName = name,
                    AttributeDefinitions =
                    [
                        new(WorkerLogFormat.WorkerUuid, ScalarAttributeType.S), new(WorkerLogFormat.Timestamp, ScalarAttributeType.S),
                        new(WorkerLogFormat.Task, ScalarAttributeType.S),
                    ],
                    KeySchema = [new(WorkerLogFormat.WorkerUuid, KeyType.HASH), new(WorkerLogFormat.Timestamp, KeyType.RANGE)],
                    GlobalSecondaryIndexes = [TaskIndexDefinition()],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    SSESpecification = new SSESpecification { Enabled = true },
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, cancellationToken);
                await WaitActiveAsync(dynamo, name, cancellationToken);
            });
            return changes;
        }

        var keys = string.Join(",", table.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType}"));
        if (keys != "worker_uuid:HASH,timestamp:RANGE")
            throw new CloudStateException($"{resource} exists with the key schema {keys}, not worker_uuid:HASH,timestamp:RANGE; the worker log cannot use it — delete the table or set another worker-log-table name in the stack.");

        if (table.BillingModeSummary?.BillingMode != BillingMode.PAY_PER_REQUEST)
        {
            var change = new Change(resource, "billing mode", table.BillingModeSummary?.BillingMode?.Value ?? "PROVISIONED", "PAY_PER_REQUEST");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await dynamo.UpdateTableAsync(new UpdateTableRequest { TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST }, cancellationToken);
                await WaitActiveAsync(dynamo, name, cancellationToken);
            });
        }
        if (table.GlobalSecondaryIndexes?.Any(i => i.IndexName == WorkerLogFormat.TaskIndex) != true)
        {
            var change = new Change(resource, WorkerLogFormat.TaskIndex, "(none)", "task + timestamp, projection ALL");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                var index = TaskIndexDefinition();
                await dynamo.UpdateTableAsync(new UpdateTableRequest
                {
                    TableName = name,
                    AttributeDefinitions = [new(WorkerLogFormat.Timestamp, ScalarAttributeType.S), new(WorkerLogFormat.Task, ScalarAttributeType.S)],
                    GlobalSecondaryIndexUpdates =
                    [
                        new GlobalSecondaryIndexUpdate
                        {
                            Create = new CreateGlobalSecondaryIndexAction { IndexName = index.IndexName, KeySchema = index.KeySchema,
                                Projection = index.Projection },
                        },
                    ],
                }, cancellationToken);
                await WaitActiveAsync(dynamo, name, cancellationToken);
            });
        }
        if (table.SSEDescription?.Status?.Value is not ("ENABLED" or "ENABLING"))
        {
            var change = new Change(resource, "SSE", table.SSEDescription?.Status?.Value ?? "DISABLED", "ENABLED");
            changes.Add(change);
            var encrypt = new UpdateTableRequest { TableName = name, SSESpecification = new SSESpecification { Enabled = true } };
            await Mutation.ApplyAsync(context, change, () => dynamo.UpdateTableAsync(encrypt, cancellationToken));
        }

        var tags = (await dynamo.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = table.TableArn }, cancellationToken)).Tags?
            .ToDictionary(t => t.Key, t => t.Value);
        changes.AddRange(await StackTags.EnsureAsync(context, resource, tags, missing => dynamo.TagResourceAsync(new TagResourceRequest
        {
            ResourceArn = table.TableArn,
            Tags = missing.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
        }, cancellationToken)));
        if (changes.Count == 0) context.Log.Info($"{resource}: up to date");
        return changes;
    }

    static GlobalSecondaryIndex TaskIndexDefinition() => new()
    {
        IndexName = WorkerLogFormat.TaskIndex,
        KeySchema = [new(WorkerLogFormat.Task, KeyType.HASH), new(WorkerLogFormat.Timestamp, KeyType.RANGE)],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };


    Task WaitActiveAsync(IAmazonDynamoDB dynamo, string name, CancellationToken ct) =>
        Waiting.UntilAsync(context, $"table {name}", async token =>
        {
            var table = (await DynamoDbLookup.TableAsync(dynamo, name, token))!;
            var indexes = table.GlobalSecondaryIndexes ?? [];
            var done = table.TableStatus == TableStatus.ACTIVE && indexes.All(i => i.IndexStatus == IndexStatus.ACTIVE);
            return (done, $"{table.TableStatus}{string.Concat(indexes.Where(i => i.IndexStatus != IndexStatus.ACTIVE).Select(i => $", index {i.IndexName} {i.IndexStatus}"))}");
        }, ct);
}
