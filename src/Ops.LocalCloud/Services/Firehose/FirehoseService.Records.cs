using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Firehose;

/// <summary>Firehose records: put one or a batch into a delivery stream.</summary>
internal sealed partial class FirehoseService
{
    JsonNode? PutRecord(JsonObject i, RequestContext c) => Write(() =>
    {
        var s = FindStream(Required(i, "DeliveryStreamName"));
        s.Records.Add((string)i["Record"]!["Data"]!);
        return new JsonObject { ["RecordId"] = Guid.NewGuid().ToString("N"), ["Encrypted"] = false };
    });

    JsonNode? PutRecordBatch(JsonObject i, RequestContext c) => Write(() =>
    {
        var s = FindStream(Required(i, "DeliveryStreamName"));
        var responses = new JsonArray();
        foreach (var r in (i["Records"] as JsonArray) ?? [])
        {
            s.Records.Add((string)r!["Data"]!);
            responses.Add(new JsonObject { ["RecordId"] = Guid.NewGuid().ToString("N") });
        }
        return new JsonObject { ["FailedPutCount"] = 0, ["Encrypted"] = false, ["RequestResponses"] = responses };
    });
}
