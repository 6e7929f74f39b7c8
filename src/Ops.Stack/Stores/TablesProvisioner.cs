using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>
/// create-dynamodb-tables: the filter log (id + timestamp) and the devices table (slug, GSI project-index on project),
/// on demand, encrypted, deletion-protected, tagged; waits until ACTIVE. A table with another key schema is reported, never replaced.
/// </summary>
public sealed class TablesProvisioner(StageContext context) : IStatusSource
{
    /// <summary>The devices table's index by project.</summary>
    public const string ProjectIndex = "project-index";

    public IReadOnlyList<TableDefinition> Tables =>
    [
        new(context.Stack.Tables.FilterLog, "id", "timestamp"),
        new(context.Stack.Tables.Devices, "slug", null, ProjectIndex, "project"),
    ];

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(context.Connection);
        var changes = new List<Change>();
        foreach (var definition in Tables)
            changes.AddRange(await EnsureAsync(dynamo, definition, cancellationToken));
        if (changes.Count == 0) context.Log.Info($"tables {string.Join(", ", Tables.Select(t => t.Name))}: up to date");
        return changes;
    }

    async Task<List<Change>> EnsureAsync(IAmazonDynamoDB dynamo, TableDefinition definition, CancellationToken ct)
    {
        var resource = $"table {definition.Name}";
        var table = await DynamoDbLookup.TableAsync(dynamo, definition.Name, ct);
        if (table == null)
        {
            var change = new Change(resource, "table", null, $"{definition.Keys}{(definition.IndexName != null ? $", GSI {definition.IndexName}" : "")}, PAY_PER_REQUEST, SSE, deletion protection");
            await Mutation.ApplyAsync(context, change, async () =>
            {
                var attributes = new[] { definition.Hash, definition.Range, definition.IndexHash }.OfType<string>().Distinct()
                    .Select(a => new AttributeDefinition(a, ScalarAttributeType.S)).ToList();
                var keys = new List<KeySchemaElement> { new(definition.Hash, KeyType.HASH) };
                if (definition.Range != null) keys.Add(new KeySchemaElement(definition.Range, KeyType.RANGE));
                await dynamo.CreateTableAsync(new CreateTableRequest
                {
                    TableName = definition.Name,
                    AttributeDefinitions = attributes,
                    KeySchema = keys,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    SSESpecification = new SSESpecification { Enabled = true },
                    DeletionProtectionEnabled = true,
                    GlobalSecondaryIndexes = definition.IndexName == null ? null :
                    [
                        new GlobalSecondaryIndex
                        {
                            IndexName = definition.IndexName, KeySchema = [new(definition.IndexHash!, KeyType.HASH)],
                            Projection = new Projection { ProjectionType = ProjectionType.ALL },
                        },
                    ],
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, ct);
                await Waiting.UntilAsync(context, resource, async token =>
                {
                    var status = (await DynamoDbLookup.TableAsync(dynamo, definition.Name, token))?.TableStatus?.Value ?? "missing";
                    return (status == "ACTIVE", status);
                }, ct);
            });
            return [change];
        }
        var keysNow = string.Join(",", table.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType}"));
        if (keysNow != definition.Keys)
            throw new CloudStateException($"{resource} exists with the key schema {keysNow}, not {definition.Keys}; Ops will not replace a table holding data — rename it in the stack (tables.*) or migrate it yourself.");
        var changes = new List<Change>();
        foreach (var (setting, actual, wanted, update) in Differences(table))
        {
            var change = new Change(resource, setting, actual, wanted);
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                var request = new UpdateTableRequest { TableName = definition.Name };
                update(request);
                await dynamo.UpdateTableAsync(request, ct);
            });
        }
        var tags = (await dynamo.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = table.TableArn }, ct)).Tags?.ToDictionary(t => t.Key,
            t => t.Value);
        changes.AddRange(await StackTags.EnsureAsync(context, resource, tags, missing => dynamo.TagResourceAsync(new TagResourceRequest
        {
            ResourceArn = table.TableArn,
            Tags = missing.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
        }, ct)));
        return changes;
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(context.Connection);
        var rows = new List<ResourceStatus>();
        foreach (var definition in Tables)
        {
            var table = await DynamoDbLookup.TableAsync(dynamo, definition.Name, cancellationToken);
            if (table == null)
            {
                rows.Add(ResourceStatus.Missing("dynamodb-table", definition.Name));
                continue;
            }
            var drift = Differences(table).Select(d => d.ToString()).ToList();
            var keys = string.Join(",", table.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType}"));
            if (keys != definition.Keys) drift.Add($"key schema: {keys} → {definition.Keys}");
            if (definition.IndexName != null && table.GlobalSecondaryIndexes?.Any(i => i.IndexName == definition.IndexName) != true)
                drift.Add($"{definition.IndexName}: (none) → {definition.IndexHash}");
            var status = table.TableStatus?.Value ?? "unknown";
            rows.Add(new ResourceStatus("dynamodb-table", definition.Name, true, status, status == "ACTIVE", drift));
        }
        return rows;
    }

    internal static IEnumerable<SettingDrift<UpdateTableRequest>> Differences(TableDescription table)
    {
        if (table.BillingModeSummary?.BillingMode is { } billing && billing != BillingMode.PAY_PER_REQUEST)
            yield return new("billing mode", billing.Value, "PAY_PER_REQUEST", r => r.BillingMode = BillingMode.PAY_PER_REQUEST);
        if (table.SSEDescription?.Status?.Value is not ("ENABLED" or "ENABLING"))
            yield return new("SSE", table.SSEDescription?.Status?.Value ?? "DISABLED", "ENABLED", r => r.SSESpecification = new SSESpecification { Enabled = true });
        // Emulators that do not know deletion protection leave it out of DescribeTable: only a reported false is drift.
        if (table.DeletionProtectionEnabled == false)
            yield return new("deletion protection", "false", "true", r => r.DeletionProtectionEnabled = true);
    }

}
