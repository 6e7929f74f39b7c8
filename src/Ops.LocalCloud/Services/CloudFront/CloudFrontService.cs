using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>
/// CloudFront invalidations (InProgress → Completed). Ops invalidates a statics distribution it does not
/// create, so the local cloud treats any distribution id as existing.
/// </summary>
internal sealed class CloudFrontService : ServiceHandler<CloudFrontService.Data>
{
    public sealed class Data
    {
        public Dictionary<string, List<Invalidation>> Distributions { get; set; } = new();
    }

    public sealed class Invalidation
    {
        public string Id { get; set; } = "";
        public DateTimeOffset Created { get; set; }
        public JsonObject Batch { get; set; } = new();
    }

    readonly TimeSpan _delay;
    public override string Name => "cloudfront";

    public CloudFrontService(StateStore store, LifecycleDelays delays) : base(store)
    {
        _delay = delays.Cache;
        On("CreateInvalidation", (i, c) => Write(() =>
        {
            var distribution = Required(i, "DistributionId");
            var batch = i["InvalidationBatch"] as JsonObject ?? throw AwsError.Invalid("InvalidationBatch is required.");
            var list = State.Distributions.TryGetValue(distribution, out var l) ? l : State.Distributions[distribution] = [];
            var reference = (string?)batch["CallerReference"];
            var existing = list.FirstOrDefault(x => (string?)x.Batch["CallerReference"] == reference);
            if (existing != null && !JsonNode.DeepEquals(existing.Batch, batch))
                throw new AwsError("InvalidationBatchAlreadyExists", "Invalidation batch specified already exists with a different content.", 409);
            var inv = existing ?? new Invalidation { Id = "I" + Guid.NewGuid().ToString("N")[..13].ToUpperInvariant(), Created = c.Now, Batch = batch.DeepClone().AsObject() };
            if (existing == null) list.Add(inv);
            return new JsonObject
            {
                ["Location"] = new Uri(c.BaseUrl, $"/2020-05-31/distribution/{distribution}/invalidation/{inv.Id}").ToString(),
                ["Invalidation"] = Describe(inv, c),
            };
        }));
        On("GetInvalidation", (i, c) => Read(() =>
        {
            var inv = State.Distributions.GetValueOrDefault(Required(i, "DistributionId"))?.FirstOrDefault(x => x.Id == Required(i, "Id"))
                ?? throw new AwsError("NoSuchInvalidation", "The specified invalidation does not exist.", 404);
            return new JsonObject { ["Invalidation"] = Describe(inv, c) };
        }));
        On("ListInvalidations", (i, c) => Read(() =>
        {
            var list = State.Distributions.GetValueOrDefault(Required(i, "DistributionId")) ?? [];
            var max = int.TryParse(Optional(i, "MaxItems"), out var m) ? m : 100;
            var start = int.TryParse(Optional(i, "Marker"), out var n) ? n : 0;
            var page = list.AsEnumerable().Reverse().Skip(start).Take(max).ToList();
            var truncated = start + max < list.Count;
            var result = new JsonObject
            {
                ["Marker"] = Optional(i, "Marker") ?? "", ["MaxItems"] = max, ["IsTruncated"] = truncated, ["Quantity"] = page.Count,
                ["Items"] = new JsonArray(page.Select(x => (JsonNode?)new JsonObject { ["Id"] = x.Id, ["CreateTime"] = x.Created.ToString("O"), ["Status"] = Status(x, c) }).ToArray()),
            };
            if (truncated) result["NextMarker"] = (start + max).ToString();
            return new JsonObject { ["InvalidationList"] = result };
        }));
    }

    string Status(Invalidation x, RequestContext c) => _delay > TimeSpan.Zero && c.Now < x.Created + _delay ? "InProgress" : "Completed";

    JsonObject Describe(Invalidation x, RequestContext c) => new()
    {
        ["Id"] = x.Id, ["Status"] = Status(x, c), ["CreateTime"] = x.Created.ToString("O"), ["InvalidationBatch"] = x.Batch.DeepClone(),
    };
}
