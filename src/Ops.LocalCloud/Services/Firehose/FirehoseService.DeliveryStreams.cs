using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Firehose;

/// <summary>Firehose delivery streams: create, describe (destinations as descriptions), list, delete.</summary>
internal sealed partial class FirehoseService
{
    JsonNode? CreateDeliveryStream(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "DeliveryStreamName");
        if (State.Streams.ContainsKey(name)) throw new AwsError("ResourceInUseException", $"Firehose {name} under accountId {c.Account} already exists");
        var spec = i.DeepClone().AsObject();
        (spec["RedshiftDestinationConfiguration"] as JsonObject)?.Remove("Password");
        State.Streams[name] = new FirehoseStream { Name = name, Type = Optional(i, "DeliveryStreamType") ?? "DirectPut", Created = c.Now, Spec = spec };
        return new JsonObject { ["DeliveryStreamARN"] = c.Arn("firehose", $"deliverystream/{name}") };
    });

    JsonNode? DescribeDeliveryStream(JsonObject i, RequestContext c) => Read(() =>
    {
        var s = FindStream(Required(i, "DeliveryStreamName"));
        var destination = new JsonObject { ["DestinationId"] = "destinationId-000000000001" };
        if (s.Spec["RedshiftDestinationConfiguration"] is JsonObject redshift)
        {
            var d = redshift.DeepClone().AsObject();
            d["S3DestinationDescription"] = d["S3Configuration"]?.DeepClone();
            d.Remove("S3Configuration");
            destination["RedshiftDestinationDescription"] = d;
        }
        if ((s.Spec["ExtendedS3DestinationConfiguration"] ?? s.Spec["S3DestinationConfiguration"]) is JsonObject s3)
            destination[s.Spec["ExtendedS3DestinationConfiguration"] != null ? "ExtendedS3DestinationDescription" : "S3DestinationDescription"] = s3.DeepClone();
        return new JsonObject
        {
            ["DeliveryStreamDescription"] = new JsonObject
            {
                ["DeliveryStreamName"] = s.Name,
                ["DeliveryStreamARN"] = c.Arn("firehose", $"deliverystream/{s.Name}"),
                ["DeliveryStreamStatus"] = "ACTIVE",
                ["DeliveryStreamType"] = s.Type,
                ["VersionId"] = "1",
                ["CreateTimestamp"] = s.Created.ToString("O"),
                ["Destinations"] = new JsonArray(destination),
                ["HasMoreDestinations"] = false,
            },
        };
    });

    JsonNode? ListDeliveryStreams(JsonObject i, RequestContext c) => Read(() =>
    {
        var after = Optional(i, "ExclusiveStartDeliveryStreamName");
        var limit = (int)(Number(i, "Limit") ?? 10);
        var names = State.Streams.Keys.Where(n => after == null || string.CompareOrdinal(n, after) > 0).ToList();
        return new JsonObject
        {
            ["DeliveryStreamNames"] = new JsonArray(names.Take(limit).Select(n => (JsonNode?)n).ToArray()),
            ["HasMoreDeliveryStreams"] = names.Count > limit,
        };
    });

    JsonNode? DeleteDeliveryStream(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "DeliveryStreamName");
        if (!State.Streams.Remove(name)) throw NotFound(name);
        return new JsonObject();
    });

    FirehoseStream FindStream(string name) => State.Streams.TryGetValue(name, out var s) ? s : throw NotFound(name);

    static AwsError NotFound(string name) => new("ResourceNotFoundException", $"Firehose {name} under account 123456789012 not found.");
}
