using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Lookups;
using Ops.Contracts;
using Ops.Stack.Core;

namespace Ops.Stack.Rollout;

/// <summary>
/// The stage's rollout table (hash pk, range sk): created on first use (on demand, SSE, tags), and read and written for
/// records, acknowledgements and the ShutDown-0 items of the worker log.
/// </summary>
public sealed class RolloutStore(StageContext context) : IDisposable
{
    readonly AmazonDynamoDBClient _dynamo = AwsConnectionFactory.CreateDynamoDb(context.Connection);

    internal IAmazonDynamoDB Dynamo => _dynamo;

    /// <summary>The table's name (rollout.table).</summary>
    public string Table => context.Stack.Rollout.Table;

    /// <summary>True when the table exists.</summary>
    public async Task<bool> ExistsAsync(CancellationToken ct) => await DynamoDbLookup.TableAsync(_dynamo, Table, ct) != null;

    /// <summary>Creates the table when missing and waits until ACTIVE (never on a dry run: then false means "no table").</summary>
    public async Task<bool> EnsureAsync(CancellationToken ct)
    {
        if (await ExistsAsync(ct)) return true;
        if (context.DryRun) return false;
        try
        {
            await _dynamo.CreateTableAsync(new CreateTableRequest
            {
                TableName = Table,
                AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S)],
                KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
                SSESpecification = new SSESpecification { Enabled = true },
                Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
            }, ct);
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceInUseException"))
        {
            // Another run created it a moment ago: wait for it like for our own.
        }
        await Waiting.UntilAsync(context, $"table {Table}", async token =>
        {
            var status = (await _dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = Table }, token)).Table.TableStatus;
            return (status == TableStatus.ACTIVE, status.Value);
        }, ct);
        context.Log.Info($"created the rollout table {Table} (pk + sk, on demand, SSE)");
        return true;
    }

    /// <summary>The newest rollout record, or null.</summary>
    public async Task<RolloutRecord?> NewestAsync(CancellationToken ct)
    {
        var result = await _dynamo.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "pk = :pk",
            ScanIndexForward = false,
            Limit = 1,
            ConsistentRead = true,
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = RolloutRecord.Partition } },
        }, ct);
        return result.Items is { Count: > 0 } items ? RolloutRecord.FromItem(items[0]) : null;
    }

    /// <summary>Writes <paramref name="record"/> (updated_at now).</summary>
    public async Task SaveAsync(RolloutRecord record, CancellationToken ct)
    {
        record.UpdatedAt = DateTimeOffset.UtcNow;
        await _dynamo.PutItemAsync(new PutItemRequest { TableName = Table, Item = record.ToItem() }, ct);
    }

    /// <summary>Every acknowledgement record of <paramref name="rolloutId"/>.</summary>
    public async Task<IReadOnlyList<AckSeen>> AcksAsync(string rolloutId, CancellationToken ct)
    {
        var acks = new List<AckSeen>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await _dynamo.QueryAsync(new QueryRequest
            {
                TableName = Table,
                KeyConditionExpression = "pk = :pk",
                ConsistentRead = true,
                ExclusiveStartKey = start,
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = AckRecordFormat.Partition(rolloutId) } },
            }, ct);
            foreach (var item in page.Items ?? [])
            {
                var at = item.TryGetValue(AckRecordFormat.AckedAt, out var a)
                    && DateTimeOffset.TryParse(a.S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.UtcNow;
                var taken = item.TryGetValue(AckRecordFormat.KillMessageId, out var k) && !string.IsNullOrEmpty(k.S) ? k.S : null;
                acks.Add(new AckSeen(item[AckRecordFormat.SortKey].S, at, taken));
            }
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start != null);
        return acks;
    }

    /// <summary>The worker log's timestamp format: 2026-11-23T10:00:00.000000+0000.</summary>
    public static string WorkerLogTime(DateTimeOffset t) => t.UtcDateTime.ToString(WorkerLogFormat.TimeFormat, CultureInfo.InvariantCulture);

    static DateTimeOffset ParseWorkerLogTime(string text) =>
        text.Length >= 19 && DateTime.TryParse(text[..Math.Min(26, text.Length)], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero) : DateTimeOffset.UtcNow;

    /// <summary>The ShutDown-0 items of the worker log newer than <paramref name="since"/> (GSI task-index); none when there is no table yet.</summary>
    public async Task<IReadOnlyList<ShutDownSeen>> ShutDownsAsync(DateTimeOffset since, CancellationToken ct)
    {
        var seen = new List<ShutDownSeen>();
        Dictionary<string, AttributeValue>? start = null;
        try
        {
            do
            {
                var page = await _dynamo.QueryAsync(new QueryRequest
                {
                    TableName = context.Stack.WorkerLogTable,
                    IndexName = WorkerLogFormat.TaskIndex,
                    ExclusiveStartKey = start,
                    KeyConditionExpression = "#task = :task AND #ts > :since",
                    ExpressionAttributeNames = new() { ["#task"] = WorkerLogFormat.Task, ["#ts"] = WorkerLogFormat.Timestamp },
                    ExpressionAttributeValues = new() { [":task"] = new AttributeValue { S = KillMessageFormat.Task },
                        [":since"] = new AttributeValue { S = WorkerLogTime(since) } },
                }, ct);
                foreach (var item in page.Items ?? [])
                {
                    if (item.TryGetValue(WorkerLogFormat.Status, out var status) && status.S != WorkerLogFormat.ShutDownStatus) continue;
                    var ts = item[WorkerLogFormat.Timestamp].S;
                    var uuid = item.TryGetValue(WorkerLogFormat.WorkerUuid, out var u) ? u.S : "";
                    var server = item.TryGetValue(WorkerLogFormat.Server, out var s) && s.S is { Length: > 0 } named ? named : null;
                    seen.Add(new ShutDownSeen(uuid, ts, server, ParseWorkerLogTime(ts)));
                }
                start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            } while (start != null);
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceNotFoundException"))
        {
            return [];
        }
        return seen;
    }

    /// <summary>What each of <paramref name="servers"/> was last seen doing in the worker log (one bounded Scan; for the timeout report).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LastWorkerLogAsync(IReadOnlyCollection<string> servers, CancellationToken ct)
    {
        var newest = new Dictionary<string, Dictionary<string, AttributeValue>>();
        if (servers.Count == 0) return new Dictionary<string, string>();
        var values = servers.Select((s, i) => (Name: $":s{i}", Value: s)).ToList();
        Dictionary<string, AttributeValue>? start = null;
        try
        {
            for (var pages = 0; pages < 20; pages++)
            {
                var page = await _dynamo.ScanAsync(new ScanRequest
                {
                    TableName = context.Stack.WorkerLogTable,
                    ExclusiveStartKey = start,
                    FilterExpression = $"#server IN ({string.Join(", ", values.Select(v => v.Name))})",
                    ExpressionAttributeNames = new() { ["#server"] = "server" },
                    ExpressionAttributeValues = values.ToDictionary(v => v.Name, v => new AttributeValue { S = v.Value }),
                }, ct);
                foreach (var item in page.Items ?? [])
                {
                    var server = item["server"].S;
                    if (!newest.TryGetValue(server, out var known) || string.CompareOrdinal(item["timestamp"].S, known["timestamp"].S) > 0) newest[server] = item;
                }
                start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
                if (start == null) break;
            }
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceNotFoundException"))
        {
            return new Dictionary<string, string>();
        }
        return newest.ToDictionary(p => p.Key, p =>
            $"{Value(p.Value, "task")} {Value(p.Value, "status")} at {Value(p.Value, "timestamp")}");
    }

    static string Value(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S ?? v.N ?? "?" : "?";

    public void Dispose() => _dynamo.Dispose();
}
