using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.CloudFront;

/// <summary>CloudFront invalidations: create (idempotent by caller reference), get, list newest first.</summary>
internal sealed partial class CloudFrontService
{
    JsonNode? CreateInvalidation(JsonObject i, RequestContext c) => Write(() =>
    {
        var distribution = Required(i, "DistributionId");
        var batch = i["InvalidationBatch"] as JsonObject ?? throw AwsError.Invalid("InvalidationBatch is required.");
        var list = State.Distributions.TryGetValue(distribution, out var l) ? l : State.Distributions[distribution] = [];
        var reference = (string?)batch["CallerReference"];
        var existing = list.FirstOrDefault(x => (string?)x.Batch["CallerReference"] == reference);
        if (existing != null && !JsonNode.DeepEquals(existing.Batch, batch))
            throw new AwsError("InvalidationBatchAlreadyExists", "Invalidation batch specified already exists with a different content.", 409);
        var inv = existing ?? new CloudFrontInvalidation { Id = "I" + Guid.NewGuid().ToString("N")[..13].ToUpperInvariant(), Created = c.Now,
            Batch = batch.DeepClone().AsObject() };
        if (existing == null) list.Add(inv);
        return new JsonObject
        {
            ["Location"] = new Uri(c.BaseUrl, $"/2020-05-31/distribution/{distribution}/invalidation/{inv.Id}").ToString(),
            ["Invalidation"] = InvalidationView(inv, c),
        };
    });

    JsonNode? GetInvalidation(JsonObject i, RequestContext c) => Read(() =>
    {
        var inv = State.Distributions.GetValueOrDefault(Required(i, "DistributionId"))?.FirstOrDefault(x => x.Id == Required(i, "Id"))
            ?? throw new AwsError("NoSuchInvalidation", "The specified invalidation does not exist.", 404);
        return new JsonObject { ["Invalidation"] = InvalidationView(inv, c) };
    });

    JsonNode? ListInvalidations(JsonObject i, RequestContext c) => Read(() =>
    {
        var list = State.Distributions.GetValueOrDefault(Required(i, "DistributionId")) ?? [];
        var max = int.TryParse(Optional(i, "MaxItems"), out var m) ? m : 100;
        var start = int.TryParse(Optional(i, "Marker"), out var n) ? n : 0;
        var page = list.AsEnumerable().Reverse().Skip(start).Take(max).ToList();
        var truncated = start + max < list.Count;
        var result = new JsonObject
        {
            ["Marker"] = Optional(i, "Marker") ?? "",
            ["MaxItems"] = max,
            ["IsTruncated"] = truncated,
            ["Quantity"] = page.Count,
            ["Items"] = new JsonArray(page.Select(x => (JsonNode?)new JsonObject { ["Id"] = x.Id, ["CreateTime"] = x.Created.ToString("O"), ["Status"] = Status(x, c) }).ToArray()),
        };
        if (truncated) result["NextMarker"] = (start + max).ToString();
        return new JsonObject { ["InvalidationList"] = result };
    });

    /// <summary>InProgress for the configured delay after creation, then Completed.</summary>
    string Status(CloudFrontInvalidation x, RequestContext c) => _delay > TimeSpan.Zero && c.Now < x.Created + _delay ? "InProgress" : "Completed";

    JsonObject InvalidationView(CloudFrontInvalidation x, RequestContext c) => new()
    {
        ["Id"] = x.Id,
        ["Status"] = Status(x, c),
        ["CreateTime"] = x.Created.ToString("O"),
        ["InvalidationBatch"] = x.Batch.DeepClone(),
    };
}
