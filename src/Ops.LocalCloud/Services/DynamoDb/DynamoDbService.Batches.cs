using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.DynamoDb;

internal sealed partial class DynamoDbService
{
    /// <summary>BatchWriteItem's limit on put and delete requests in one call.</summary>
    const int MaxBatchWrites = 25;

    /// <summary>BatchGetItem's limit on keys in one call.</summary>
    const int MaxBatchGets = 100;

    /// <summary>
    /// Puts and deletes across tables, all applied or none (every table and key is checked first): at most 25 requests,
    /// no key twice. Nothing is ever left unprocessed here, so UnprocessedItems is always empty.
    /// </summary>
    JsonNode? BatchWriteItem(JsonObject i, RequestContext c) => WriteRecords(() =>
    {
        var requests = RequestItems(i);
        var count = requests.Sum(r => (r.Value as JsonArray)?.Count ?? 0);
        if (count is 0 or > MaxBatchWrites)
            throw new AwsError("ValidationException", $"1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have {(count == 0 ? "length greater than or equal to 1" : "length less than or equal to 25")}");
        var plan = new List<(string Name, DynamoDbTable Table, string Key, JsonObject? Item)>();
        foreach (var (name, list) in requests)
        {
            var table = Find(name);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var request in (list as JsonArray) ?? throw new AwsError("ValidationException", $"RequestItems.{name} must be a list of write requests"))
            {
                var (item, key) = request switch
                {
                    JsonObject { Count: 1 } r when r["PutRequest"]?["Item"] is JsonObject put => (put, Key(table, put)),
                    JsonObject { Count: 1 } r when r["DeleteRequest"]?["Key"] is JsonObject delete => ((JsonObject?)null, Key(table, delete)),
                    _ => throw new AwsError("ValidationException", "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes: each write request holds exactly one PutRequest (with Item) or DeleteRequest (with Key)"),
                };
                if (!seen.Add(key)) throw new AwsError("ValidationException", "Provided list of item keys contains duplicates");
                plan.Add((name, table, key, item?.DeepClone().AsObject()));
            }
        }
        foreach (var (name, table, key, item) in plan)
        {
            if (item != null) table.Items[key] = item;
            else table.Items.Remove(key);
            ItemChanged(name, key);
        }
        return new JsonObject { ["UnprocessedItems"] = new JsonObject() };
    });

    /// <summary>Items by key across tables (at most 100 keys, none twice in a table), with ProjectionExpression; UnprocessedKeys is always empty.</summary>
    JsonNode? BatchGetItem(JsonObject i, RequestContext c) => Read(() =>
    {
        var requests = RequestItems(i);
        var count = requests.Sum(r => (r.Value?["Keys"] as JsonArray)?.Count ?? 0);
        if (count is 0 or > MaxBatchGets)
            throw new AwsError("ValidationException", count == 0
                ? "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"
                : "Too many items requested for the BatchGetItem call");
        var responses = new JsonObject();
        foreach (var (name, request) in requests)
        {
            var table = Find(name);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var found = new JsonArray();
            foreach (var keyNode in (request?["Keys"] as JsonArray) ?? [])
            {
                var key = Key(table, keyNode as JsonObject ?? throw new AwsError("ValidationException", $"RequestItems.{name}.Keys holds a key that is not a map"));
                if (!seen.Add(key)) throw new AwsError("ValidationException", "Provided list of item keys contains duplicates");
                if (table.Items.GetValueOrDefault(key) is { } item)
                    found.Add(Project(item, (string?)request!["ProjectionExpression"], request["ExpressionAttributeNames"] as JsonObject));
            }
            responses[name] = found;
        }
        return new JsonObject { ["Responses"] = responses, ["UnprocessedKeys"] = new JsonObject() };
    });

    static JsonObject RequestItems(JsonObject i) =>
        i["RequestItems"] as JsonObject ?? throw new AwsError("ValidationException", "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");

    /// <summary>The item's top-level attributes a ProjectionExpression names (#names resolved); the whole item without one.</summary>
    static JsonObject Project(JsonObject item, string? projection, JsonObject? names)
    {
        if (string.IsNullOrWhiteSpace(projection)) return item.DeepClone().AsObject();
        var result = new JsonObject();
        foreach (var raw in projection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var top = raw.Split('.', '[')[0];
            var name = top.StartsWith('#')
                ? (string?)names?[top] ?? throw new AwsError("ValidationException", $"Value provided in ExpressionAttributeNames unused in expressions or undefined: {top}")
                : top;
            if (item[name] is { } value && !result.ContainsKey(name)) result[name] = value.DeepClone();
        }
        return result;
    }
}
