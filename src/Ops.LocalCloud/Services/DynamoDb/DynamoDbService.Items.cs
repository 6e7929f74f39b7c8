using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.DynamoDb;

internal sealed partial class DynamoDbService
{
    JsonNode? PutItem(JsonObject i, RequestContext c) => WriteRecords(() =>
    {
        var name = Required(i, "TableName");
        var table = Find(name);
        var item = (i["Item"] as JsonObject ?? throw new AwsError("ValidationException", "Item is required")).DeepClone().AsObject();
        var key = Key(table, item);
        var old = table.Items.GetValueOrDefault(key);
        Check(i, old);
        table.Items[key] = item;
        ItemChanged(name, key);
        return Returning(i, old, null);
    });

    JsonNode? GetItem(JsonObject i, RequestContext c) => Read(() =>
    {
        var table = Find(Required(i, "TableName"));
        var found = table.Items.GetValueOrDefault(Key(table, KeyOf(i)));
        return found == null ? new JsonObject() : new JsonObject { ["Item"] = found.DeepClone() };
    });

    JsonNode? UpdateItem(JsonObject i, RequestContext c) => WriteRecords(() =>
    {
        var name = Required(i, "TableName");
        var table = Find(name);
        var keyAttributes = KeyOf(i);
        var key = Key(table, keyAttributes);
        var old = table.Items.GetValueOrDefault(key);
        Check(i, old);
        var item = old?.DeepClone().AsObject() ?? keyAttributes.DeepClone().AsObject();
        if (Optional(i, "UpdateExpression") is { } update)
            new DynamoExpressions(i["ExpressionAttributeNames"] as JsonObject, i["ExpressionAttributeValues"] as JsonObject).Update(update, item);
        if (Key(table, item) != key) throw new AwsError("ValidationException", "One or more parameter values were invalid: Cannot update attribute in the key");
        table.Items[key] = item;
        ItemChanged(name, key);
        return Returning(i, old, item);
    });

    JsonNode? DeleteItem(JsonObject i, RequestContext c) => WriteRecords(() =>
    {
        var name = Required(i, "TableName");
        var table = Find(name);
        var key = Key(table, KeyOf(i));
        var old = table.Items.GetValueOrDefault(key);
        Check(i, old);
        table.Items.Remove(key);
        ItemChanged(name, key);
        return Returning(i, old, null);
    });

    JsonNode? Query(JsonObject i, RequestContext c) => Read(() =>
    {
        var table = Find(Required(i, "TableName"));
        var condition = Required(i, "KeyConditionExpression");
        var expressions = Expressions(i);
        if (Optional(i, "IndexName") is { } index)
        {
            var errors = new List<string>();
            DynamoNames.Check(errors, index, "indexName");
            DynamoNames.ThrowIfAny(errors);
        }
        var (hash, range) = KeyNames(table, Optional(i, "IndexName"));
        var items = table.Items.Values.Where(item => item.ContainsKey(hash) && expressions().Evaluate(condition, item));
        if (range != null)
        {
            items = items.Where(item => item.ContainsKey(range))
                .OrderBy(item => item[range], Comparer<JsonNode?>.Create((a, b) => DynamoExpressions.Compare(a, b) ?? 0));
            if (i["ScanIndexForward"] is JsonValue forward && !forward.GetValue<bool>()) items = items.Reverse();
        }
        return Page(i, table, items.ToList(), expressions);
    });

    JsonNode? Scan(JsonObject i, RequestContext c) => Read(() =>
    {
        var table = Find(Required(i, "TableName"));
        return Page(i, table, table.Items.Values.ToList(), Expressions(i));
    });

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
        "ALL_NEW" when updated != null => new JsonObject { ["Attributes"] = updated.DeepClone() },
        "UPDATED_NEW" when updated != null => new JsonObject { ["Attributes"] = Changed(updated, old) },
        "UPDATED_OLD" when old != null && updated != null => new JsonObject { ["Attributes"] = Changed(old, updated) },
        _ => new JsonObject(),
    };

    /// <summary>The attributes of <paramref name="side"/> that the update touched: absent from, or different in, <paramref name="other"/>.</summary>
    static JsonObject Changed(JsonObject side, JsonObject? other) =>
        new(side.Where(kv => other == null || !other.TryGetPropertyValue(kv.Key, out var o) || !JsonNode.DeepEquals(o, kv.Value))
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));

    JsonObject Page(JsonObject i, DynamoDbTable table, List<JsonObject> items, Func<DynamoExpressions> expressions)
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
        var result = new JsonObject { ["Count"] = matched.Count, ["ScannedCount"] = scanned.Count };
        if (Optional(i, "Select") != "COUNT") result["Items"] = new JsonArray(matched.Select(x => (JsonNode?)x.DeepClone()).ToArray());
        if (items.Count > limit)
        {
            var last = scanned[^1];
            var key = new JsonObject { [hash] = last[hash]!.DeepClone() };
            if (range != null) key[range] = last[range]!.DeepClone();
            result["LastEvaluatedKey"] = key;
        }
        return result;
    }

    static (string Hash, string? Range) KeyNames(DynamoDbTable table, string? index)
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
    static string Key(DynamoDbTable table, JsonObject item)
    {
        var (hash, range) = KeyNames(table, null);
        string Part(string name) => item[name]?.ToJsonString()
            ?? throw new AwsError("ValidationException", $"One or more parameter values were invalid: Missing the key {name} in the item");
        return range == null ? Part(hash) : $"{Part(hash)}\u0001{Part(range)}";
    }

    static JsonObject KeyOf(JsonObject i) => i["Key"] as JsonObject ?? throw new AwsError("ValidationException", "Key is required");

    /// <summary>Logs one item of a table (as it is when written: gone when the item, or its table, is).</summary>
    void ItemChanged(string tableName, string key)
    {
        var table = DynamoNames.Table(tableName);
        PersistRecord(new(["Tables", table, "Items", key]), s => s.Tables.GetValueOrDefault(table)?.Items.GetValueOrDefault(key));
    }
}
