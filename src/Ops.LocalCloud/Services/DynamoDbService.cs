using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>
/// DynamoDB: tables (with global secondary indexes) and items, conditional puts, updates and deletes,
/// queries and scans with filter expressions and pagination — enough for a worker-log table and a lease lock.
/// </summary>
internal sealed class DynamoDbService : ServiceHandler<DynamoDbService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Table> Tables { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Table
    {
        public JsonObject Spec { get; set; } = new();
        public DateTimeOffset Created { get; set; }
        public SortedDictionary<string, JsonObject> Items { get; set; } = new(StringComparer.Ordinal);
    }

    public override string Name => "dynamodb";

    static AwsError NoTable(string name) => new("ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");

    public DynamoDbService(StateStore store) : base(store)
    {
        On("CreateTable", (i, c) => Write(() =>
        {
            var name = Required(i, "TableName");
            if (State.Tables.ContainsKey(name)) throw new AwsError("ResourceInUseException", $"Table already exists: {name}");
            if (i["KeySchema"] is not JsonArray { Count: > 0 }) throw new AwsError("ValidationException", "KeySchema is required");
            State.Tables[name] = new Table { Spec = i.DeepClone().AsObject(), Created = c.Now };
            return new JsonObject { ["TableDescription"] = Describe(name, State.Tables[name], c) };
        }));
        On("DescribeTable", (i, c) => Read(() =>
        {
            var name = Required(i, "TableName");
            return new JsonObject { ["Table"] = Describe(name, Find(name), c) };
        }));
        On("DeleteTable", (i, c) => Write(() =>
        {
            var name = Required(i, "TableName");
            var table = Find(name);
            State.Tables.Remove(name);
            var d = Describe(name, table, c);
            d["TableStatus"] = "DELETING";
            return new JsonObject { ["TableDescription"] = d };
        }));
        On("ListTables", (i, _) => Read(() =>
        {
            var after = Optional(i, "ExclusiveStartTableName");
            var limit = (int)(Number(i, "Limit") ?? 100);
            var names = State.Tables.Keys.Where(n => after == null || string.CompareOrdinal(n, after) > 0).ToList();
            var result = new JsonObject { ["TableNames"] = new JsonArray(names.Take(limit).Select(n => (JsonNode?)n).ToArray()) };
            if (names.Count > limit) result["LastEvaluatedTableName"] = names[limit - 1];
            return result;
        }));
        On("PutItem", (i, _) => Write(() =>
        {
            var table = Find(Required(i, "TableName"));
            var item = (i["Item"] as JsonObject ?? throw new AwsError("ValidationException", "Item is required")).DeepClone().AsObject();
            var key = Key(table, item);
            var old = table.Items.GetValueOrDefault(key);
            Check(i, old);
            table.Items[key] = item;
            return Returning(i, old, null);
        }));
        On("GetItem", (i, _) => Read(() =>
        {
            var table = Find(Required(i, "TableName"));
            var found = table.Items.GetValueOrDefault(Key(table, KeyOf(i)));
            return found == null ? new JsonObject() : new JsonObject { ["Item"] = found.DeepClone() };
        }));
        On("UpdateItem", (i, _) => Write(() =>
        {
            var table = Find(Required(i, "TableName"));
            var keyAttributes = KeyOf(i);
            var key = Key(table, keyAttributes);
            var old = table.Items.GetValueOrDefault(key);
            Check(i, old);
            var item = old?.DeepClone().AsObject() ?? keyAttributes.DeepClone().AsObject();
            if (Optional(i, "UpdateExpression") is { } update)
                new DynamoExpressions(i["ExpressionAttributeNames"] as JsonObject, i["ExpressionAttributeValues"] as JsonObject).Update(update, item);
            if (Key(table, item) != key) throw new AwsError("ValidationException", "One or more parameter values were invalid: Cannot update attribute in the key");
            table.Items[key] = item;
            return Returning(i, old, item);
        }));
        On("DeleteItem", (i, _) => Write(() =>
        {
            var table = Find(Required(i, "TableName"));
            var key = Key(table, KeyOf(i));
            var old = table.Items.GetValueOrDefault(key);
            Check(i, old);
            table.Items.Remove(key);
            return Returning(i, old, null);
        }));
        On("Query", (i, _) => Read(() =>
        {
            var table = Find(Required(i, "TableName"));
            var condition = Required(i, "KeyConditionExpression");
            var expressions = Expressions(i);
            var (hash, range) = KeyNames(table, Optional(i, "IndexName"));
            var items = table.Items.Values.Where(item => item.ContainsKey(hash) && expressions().Evaluate(condition, item));
            if (range != null)
            {
                items = items.Where(item => item.ContainsKey(range))
                    .OrderBy(item => item[range], Comparer<JsonNode?>.Create((a, b) => DynamoExpressions.Compare(a, b) ?? 0));
                if (i["ScanIndexForward"] is JsonValue forward && !forward.GetValue<bool>()) items = items.Reverse();
            }
            return Page(i, table, items.ToList(), expressions);
        }));
        On("Scan", (i, _) => Read(() =>
        {
            var table = Find(Required(i, "TableName"));
            return Page(i, table, table.Items.Values.ToList(), Expressions(i));
        }));
    }

    Func<DynamoExpressions> Expressions(JsonObject i) =>
        () => new DynamoExpressions(i["ExpressionAttributeNames"] as JsonObject, i["ExpressionAttributeValues"] as JsonObject);

    /// <summary>The ConditionExpression must hold for the current item (absent: an empty item), or the write fails.</summary>
    static void Check(JsonObject i, JsonObject? current)
    {
        if (Optional(i, "ConditionExpression") is not { } condition) return;
        var ok = new DynamoExpressions(i["ExpressionAttributeNames"] as JsonObject, i["ExpressionAttributeValues"] as JsonObject)
            .Evaluate(condition, current ?? new JsonObject());
        if (!ok) throw new AwsError("ConditionalCheckFailedException", "The conditional request failed");
    }

    static JsonObject Returning(JsonObject i, JsonObject? old, JsonObject? updated) => Optional(i, "ReturnValues") switch
    {
        "ALL_OLD" when old != null => new JsonObject { ["Attributes"] = old.DeepClone() },
        "ALL_NEW" or "UPDATED_NEW" when updated != null => new JsonObject { ["Attributes"] = updated.DeepClone() },
        _ => new JsonObject(),
    };

    JsonObject Page(JsonObject i, Table table, List<JsonObject> items, Func<DynamoExpressions> expressions)
    {
        var (hash, range) = KeyNames(table, null);
        if (i["ExclusiveStartKey"] is JsonObject start)
        {
            var startKey = Key(table, start);
            var index = items.FindIndex(item => Key(table, item) == startKey);
            items = items.Skip(index + 1).ToList();
        }
        var limit = (int)(Number(i, "Limit") ?? int.MaxValue);
        var scanned = items.Take(limit).ToList();
        var filter = Optional(i, "FilterExpression");
        var matched = filter == null ? scanned : scanned.Where(item => expressions().Evaluate(filter, item)).ToList();
        var result = new JsonObject
        {
            ["Items"] = new JsonArray(matched.Select(x => (JsonNode?)x.DeepClone()).ToArray()),
            ["Count"] = matched.Count, ["ScannedCount"] = scanned.Count,
        };
        if (items.Count > limit)
        {
            var last = scanned[^1];
            var key = new JsonObject { [hash] = last[hash]!.DeepClone() };
            if (range != null) key[range] = last[range]!.DeepClone();
            result["LastEvaluatedKey"] = key;
        }
        return result;
    }

    static (string Hash, string? Range) KeyNames(Table table, string? index)
    {
        var schema = table.Spec["KeySchema"]!.AsArray();
        if (index != null)
        {
            var gsi = ((table.Spec["GlobalSecondaryIndexes"] as JsonArray) ?? []).Concat((table.Spec["LocalSecondaryIndexes"] as JsonArray) ?? [])
                .FirstOrDefault(g => (string?)g!["IndexName"] == index)
                ?? throw new AwsError("ValidationException", $"The table does not have the specified index: {index}");
            schema = gsi!["KeySchema"]!.AsArray();
        }
        return ((string)schema.First(k => (string?)k!["KeyType"] == "HASH")!["AttributeName"]!,
                (string?)schema.FirstOrDefault(k => (string?)k!["KeyType"] == "RANGE")?["AttributeName"]);
    }

    /// <summary>The item's primary key as a stable string; missing key attributes are a validation error, as on AWS.</summary>
    static string Key(Table table, JsonObject item)
    {
        var (hash, range) = KeyNames(table, null);
        string Part(string name) => item[name]?.ToJsonString()
            ?? throw new AwsError("ValidationException", $"One or more parameter values were invalid: Missing the key {name} in the item");
        return range == null ? Part(hash) : $"{Part(hash)}\u0001{Part(range)}";
    }

    static JsonObject KeyOf(JsonObject i) => i["Key"] as JsonObject ?? throw new AwsError("ValidationException", "Key is required");

    Table Find(string name) => State.Tables.TryGetValue(name, out var t) ? t : throw NoTable(name);

    static JsonObject Describe(string name, Table t, RequestContext c)
    {
        var d = new JsonObject
        {
            ["TableName"] = name, ["TableStatus"] = "ACTIVE", ["CreationDateTime"] = t.Created.ToUnixTimeSeconds(),
            ["KeySchema"] = t.Spec["KeySchema"]?.DeepClone(), ["AttributeDefinitions"] = t.Spec["AttributeDefinitions"]?.DeepClone(),
            ["ItemCount"] = t.Items.Count, ["TableSizeBytes"] = t.Items.Values.Sum(x => (long)x.ToJsonString().Length),
            ["TableArn"] = c.Arn("dynamodb", $"table/{name}"), ["TableId"] = Guid.NewGuid().ToString(),
            ["BillingModeSummary"] = new JsonObject { ["BillingMode"] = (string?)t.Spec["BillingMode"] ?? "PROVISIONED" },
        };
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
