using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.DynamoDb;

internal sealed partial class DynamoDbService
{
    static AwsError NoTable(string name) => new("ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");

    JsonNode? CreateTable(JsonObject i, RequestContext c) => Write(() =>
    {
        var errors = new List<string>();
        var name = Optional(i, "TableName");
        DynamoNames.Check(errors, name, "tableName");
        foreach (var (member, path) in new[] { ("GlobalSecondaryIndexes", "globalSecondaryIndexes"), ("LocalSecondaryIndexes", "localSecondaryIndexes") })
            foreach (var (index, n) in ((i[member] as JsonArray) ?? []).Select((x, n) => (x, n + 1)))
                DynamoNames.Check(errors, (string?)index?["IndexName"], $"{path}.{n}.member.indexName");
        DynamoNames.ThrowIfAny(errors);
        if (State.Tables.ContainsKey(name!)) throw new AwsError("ResourceInUseException", $"Table already exists: {name}");
        if (i["KeySchema"] is not JsonArray { Count: > 0 }) throw new AwsError("ValidationException", "KeySchema is required");
        State.Tables[name!] = new DynamoDbTable { Spec = i.DeepClone().AsObject(), Created = c.Now, TableId = Guid.NewGuid().ToString() };
        return new JsonObject { ["TableDescription"] = Describe(name!, State.Tables[name!], c) };
    });

    JsonNode? DescribeTable(JsonObject i, RequestContext c) => Read(() =>
    {
        var name = Required(i, "TableName");
        return new JsonObject { ["Table"] = Describe(name, Find(name), c) };
    });

    /// <summary>
    /// UpdateTable for what a table's settings can change to here: deletion protection, billing mode (with provisioned
    /// throughput) and SSE. Other updates (indexes, streams, replicas) are refused naming the member.
    /// </summary>
    JsonNode? UpdateTable(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "TableName");
        var table = Find(name);
        string[] supported = ["TableName", "DeletionProtectionEnabled", "BillingMode", "ProvisionedThroughput", "SSESpecification"];
        if (i.Select(kv => kv.Key).FirstOrDefault(k => !supported.Contains(k)) is { } other)
            throw new AwsError("ValidationException", $"The local cloud does not implement UpdateTable's {other}; it updates DeletionProtectionEnabled, BillingMode, ProvisionedThroughput and SSESpecification.");
        if (i.Count == 1)
            throw new AwsError("ValidationException", "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, DeletionProtectionEnabled or ReplicaUpdates is required");
        foreach (var member in supported.Skip(1))
            if (i[member] is { } value) table.Spec[member] = value.DeepClone();
        if ((string?)i["BillingMode"] == "PAY_PER_REQUEST") table.Spec.Remove("ProvisionedThroughput");
        return new JsonObject { ["TableDescription"] = Describe(name, table, c) };
    });

    JsonNode? DeleteTable(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "TableName");
        var table = Find(name);
        if (DeletionProtected(table))
            throw new AwsError("ValidationException", "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        State.Tables.Remove(name);
        var d = Describe(name, table, c);
        d["TableStatus"] = "DELETING";
        return new JsonObject { ["TableDescription"] = d };
    });

    JsonNode? ListTables(JsonObject i, RequestContext c) => Read(() =>
    {
        var after = Optional(i, "ExclusiveStartTableName");
        var limit = (int)(Number(i, "Limit") ?? 100);
        var names = State.Tables.Keys.Where(n => after == null || string.CompareOrdinal(n, after) > 0).ToList();
        var result = new JsonObject { ["TableNames"] = new JsonArray(names.Take(limit).Select(n => (JsonNode?)n).ToArray()) };
        if (names.Count > limit) result["LastEvaluatedTableName"] = names[limit - 1];
        return result;
    });

    static bool DeletionProtected(DynamoDbTable t) => t.Spec["DeletionProtectionEnabled"] is JsonValue v && v.GetValue<bool>();

    DynamoDbTable Find(string name) => State.Tables.TryGetValue(DynamoNames.Table(name), out var t) ? t : throw NoTable(name);

    /// <summary>For tables made before ids were stored: a GUID derived from what identifies the table, the same in every process.</summary>
    static string StableTableId(RequestContext c, string name, DynamoDbTable t) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{c.Account}\n{c.Region}\n{name}\n{t.Created:O}"))[..16]).ToString();

    static JsonObject Describe(string name, DynamoDbTable t, RequestContext c)
    {
        var d = new JsonObject
        {
            ["TableName"] = name,
            ["TableStatus"] = "ACTIVE",
            ["CreationDateTime"] = t.Created.ToUnixTimeSeconds(),
            ["KeySchema"] = t.Spec["KeySchema"]?.DeepClone(),
            ["AttributeDefinitions"] = t.Spec["AttributeDefinitions"]?.DeepClone(),
            ["ItemCount"] = t.Items.Count,
            ["TableSizeBytes"] = t.Items.Values.Sum(x => (long)x.ToJsonString().Length),
            ["TableArn"] = c.Arn("dynamodb", $"table/{name}"),
            ["TableId"] = t.TableId ?? StableTableId(c, name, t),
            ["BillingModeSummary"] = new JsonObject { ["BillingMode"] = (string?)t.Spec["BillingMode"] ?? "PROVISIONED" },
            ["DeletionProtectionEnabled"] = DeletionProtected(t),
        };
        if (t.Spec["SSESpecification"]?["Enabled"]?.GetValue<bool>() == true)
            d["SSEDescription"] = new JsonObject { ["Status"] = "ENABLED", ["SSEType"] = "KMS", ["KMSMasterKeyArn"] = c.Arn("kms", "key/aws/dynamodb") };
        if (t.Spec["GlobalSecondaryIndexes"] is JsonArray gsis)
            d["GlobalSecondaryIndexes"] = new JsonArray(gsis.Select(g =>
            {
                var o = g!.DeepClone().AsObject();
                o["IndexStatus"] = "ACTIVE";
                o["IndexArn"] = c.Arn("dynamodb", $"table/{name}/index/{g["IndexName"]}");
                return (JsonNode?)o;
            }).ToArray());
        return d;
    }
}
