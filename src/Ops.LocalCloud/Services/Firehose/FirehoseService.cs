using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>Kinesis Firehose: delivery streams and the records put into them (kept, so tests and drills can count them).</summary>
internal sealed class FirehoseService : ServiceHandler<FirehoseService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Stream> Streams { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Stream
    {
        public string Name { get; set; } = "";
        public string Type { get; set; } = "DirectPut";
        public DateTimeOffset Created { get; set; }
        public JsonObject Spec { get; set; } = new();
        public List<string> Records { get; set; } = [];
    }

    public override string Name => "firehose";

    static AwsError NotFound(string name) => new("ResourceNotFoundException", $"Firehose {name} under account 123456789012 not found.");

    public FirehoseService(StateStore store) : base(store)
    {
        On("CreateDeliveryStream", (i, c) => Write(() =>
        {
            var name = Required(i, "DeliveryStreamName");
            if (State.Streams.ContainsKey(name)) throw new AwsError("ResourceInUseException", $"Firehose {name} under accountId {c.Account} already exists");
            var spec = i.DeepClone().AsObject();
            (spec["RedshiftDestinationConfiguration"] as JsonObject)?.Remove("Password");
            State.Streams[name] = new Stream { Name = name, Type = Optional(i, "DeliveryStreamType") ?? "DirectPut", Created = c.Now, Spec = spec };
            return new JsonObject { ["DeliveryStreamARN"] = c.Arn("firehose", $"deliverystream/{name}") };
        }));
        On("DescribeDeliveryStream", (i, c) => Read(() =>
        {
            var s = Find(Required(i, "DeliveryStreamName"));
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
                    ["DeliveryStreamName"] = s.Name, ["DeliveryStreamARN"] = c.Arn("firehose", $"deliverystream/{s.Name}"),
                    ["DeliveryStreamStatus"] = "ACTIVE", ["DeliveryStreamType"] = s.Type, ["VersionId"] = "1",
                    ["CreateTimestamp"] = s.Created.ToString("O"), ["Destinations"] = new JsonArray(destination), ["HasMoreDestinations"] = false,
                },
            };
        }));
        On("ListDeliveryStreams", (i, _) => Read(() =>
        {
            var after = Optional(i, "ExclusiveStartDeliveryStreamName");
            var limit = (int)(Number(i, "Limit") ?? 10);
            var names = State.Streams.Keys.Where(n => after == null || string.CompareOrdinal(n, after) > 0).ToList();
            return new JsonObject
            {
                ["DeliveryStreamNames"] = new JsonArray(names.Take(limit).Select(n => (JsonNode?)n).ToArray()),
                ["HasMoreDeliveryStreams"] = names.Count > limit,
            };
        }));
        On("DeleteDeliveryStream", (i, _) => Write(() =>
        {
            if (!State.Streams.Remove(Required(i, "DeliveryStreamName"))) throw NotFound(Required(i, "DeliveryStreamName"));
            return new JsonObject();
        }));
        On("PutRecord", (i, _) => Write(() =>
        {
            var s = Find(Required(i, "DeliveryStreamName"));
            s.Records.Add((string)i["Record"]!["Data"]!);
            return new JsonObject { ["RecordId"] = Guid.NewGuid().ToString("N"), ["Encrypted"] = false };
        }));
        On("PutRecordBatch", (i, _) => Write(() =>
        {
            var s = Find(Required(i, "DeliveryStreamName"));
            var responses = new JsonArray();
            foreach (var r in (i["Records"] as JsonArray) ?? [])
            {
                s.Records.Add((string)r!["Data"]!);
                responses.Add(new JsonObject { ["RecordId"] = Guid.NewGuid().ToString("N") });
            }
            return new JsonObject { ["FailedPutCount"] = 0, ["Encrypted"] = false, ["RequestResponses"] = responses };
        }));
    }

    Stream Find(string name) => State.Streams.TryGetValue(name, out var s) ? s : throw NotFound(name);
}
