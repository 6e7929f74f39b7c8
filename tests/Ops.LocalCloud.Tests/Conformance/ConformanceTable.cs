using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>The rows, by service: each arranges what it needs under its own name, makes one call, and checks the answer.</summary>
public static partial class ConformanceTable
{
    public static readonly IReadOnlyList<ConformanceRow> All =
    [
        .. Sts, .. StsAssume, .. Iam, .. CloudFront, .. Firehose, .. Logs, .. Ecs, .. Ec2, .. Ecr, .. ElasticBeanstalk,
        .. Rds, .. Redshift, .. ElastiCache, .. DynamoDb, .. Sns, .. Sqs, .. Ssm,
    ];

    static ConformanceRow Row(string service, string operation, Func<ConformanceContext, string[]> call, Func<ConformanceContext, JsonNode?, Task> expect,
        Func<ConformanceContext, Task>? arrange = null) =>
        new() { Service = service, Operation = operation, Call = call, Expect = expect, Arrange = arrange ?? (_ => Task.CompletedTask) };

    static ConformanceRow Error(string service, string operation, Func<ConformanceContext, string[]> call, string code,
        Func<ConformanceContext, Task>? arrange = null) =>
        new() { Service = service, Operation = operation, Call = call, ExpectError = code, Arrange = arrange ?? (_ => Task.CompletedTask) };

    static Task Done => Task.CompletedTask;

    static ConformanceRow[] Sts =>
    [
        Row("sts", "GetCallerIdentity", _ => ["sts", "get-caller-identity"], (_, r) =>
        {
            Assert.Equal(("123456789012", "arn:aws:iam::123456789012:user/local-cloud"), ((string?)r!["Account"], (string?)r["Arn"]));
            return Done;
        }),
    ];

    static ConformanceRow[] CloudFront =>
    [
        Row("cloudfront", "CreateInvalidation", x => ["cloudfront", "create-invalidation", "--distribution-id", "E" + x.Name, "--paths", "/*"], (x, r) =>
        {
            var inv = r!["Invalidation"]!;
            Assert.Equal(("Completed", "/*"), ((string?)inv["Status"], (string?)inv["InvalidationBatch"]!["Paths"]!["Items"]![0]));
            Assert.EndsWith($"/distribution/E{x.Name}/invalidation/{inv["Id"]}", (string?)r["Location"]);
            return Done;
        }),
        Row("cloudfront", "GetInvalidation", x => ["cloudfront", "get-invalidation", "--distribution-id", "E" + x.Name, "--id", x["id"]], (x, r) =>
        {
            Assert.Equal((x["id"], "Completed"), ((string?)r!["Invalidation"]!["Id"], (string?)r["Invalidation"]!["Status"]));
            return Done;
        }, async x => x.Values["id"] = (string)(await x.Aws("cloudfront", "create-invalidation", "--distribution-id", "E" + x.Name, "--paths", "/a"))!["Invalidation"]!["Id"]!),
        Error("cloudfront", "GetInvalidation", x => ["cloudfront", "get-invalidation", "--distribution-id", "E" + x.Name, "--id", "INOSUCH"], "NoSuchInvalidation"),
        Row("cloudfront", "ListInvalidations", x => ["cloudfront", "list-invalidations", "--distribution-id", "E" + x.Name, "--no-paginate"], (x, r) =>
        {
            var list = r!["InvalidationList"]!;
            Assert.Equal((1, x["id"]), ((int)list["Quantity"]!, (string?)list["Items"]![0]!["Id"]));
            return Done;
        }, async x => x.Values["id"] = (string)(await x.Aws("cloudfront", "create-invalidation", "--distribution-id", "E" + x.Name, "--paths", "/b"))!["Invalidation"]!["Id"]!),
    ];

    static readonly string[] S3Destination = ["--extended-s3-destination-configuration", "RoleARN=arn:aws:iam::123456789012:role/firehose,BucketARN=arn:aws:s3:::telemetry"];

    static Task CreateStream(ConformanceContext x) => x.Aws(["firehose", "create-delivery-stream", "--delivery-stream-name", x.Name, .. S3Destination]);

    static ConformanceRow[] Firehose =>
    [
        Row("firehose", "CreateDeliveryStream", x => ["firehose", "create-delivery-stream", "--delivery-stream-name", x.Name, .. S3Destination], (x, r) =>
        {
            Assert.Equal($"arn:aws:firehose:us-east-1:123456789012:deliverystream/{x.Name}", (string?)r!["DeliveryStreamARN"]);
            return Done;
        }),
        Error("firehose", "CreateDeliveryStream", x => ["firehose", "create-delivery-stream", "--delivery-stream-name", x.Name, .. S3Destination], "ResourceInUseException", CreateStream),
        Row("firehose", "DescribeDeliveryStream", x => ["firehose", "describe-delivery-stream", "--delivery-stream-name", x.Name], (x, r) =>
        {
            var d = r!["DeliveryStreamDescription"]!;
            Assert.Equal((x.Name, "ACTIVE", "arn:aws:s3:::telemetry"),
                ((string?)d["DeliveryStreamName"], (string?)d["DeliveryStreamStatus"], (string?)d["Destinations"]![0]!["ExtendedS3DestinationDescription"]!["BucketARN"]));
            return Done;
        }, CreateStream),
        Error("firehose", "DescribeDeliveryStream", x => ["firehose", "describe-delivery-stream", "--delivery-stream-name", x.Name], "ResourceNotFoundException"),
        Row("firehose", "ListDeliveryStreams", _ => ["firehose", "list-delivery-streams", "--limit", "10000"], (x, r) =>
        {
            Assert.Contains(x.Name, r!["DeliveryStreamNames"]!.AsArray().Select(n => (string?)n));
            Assert.False((bool)r["HasMoreDeliveryStreams"]!);
            return Done;
        }, CreateStream),
        Row("firehose", "DeleteDeliveryStream", x => ["firehose", "delete-delivery-stream", "--delivery-stream-name", x.Name], async (x, _) =>
        {
            var names = (await x.Aws("firehose", "list-delivery-streams", "--limit", "10000"))!["DeliveryStreamNames"]!.AsArray();
            Assert.DoesNotContain(x.Name, names.Select(n => (string?)n));
        }, CreateStream),
        Row("firehose", "PutRecord", x => ["firehose", "put-record", "--delivery-stream-name", x.Name, "--record", "Data=aGVsbG8="], (_, r) =>
        {
            Assert.False(string.IsNullOrEmpty((string?)r!["RecordId"]));
            return Done;
        }, CreateStream),
        Row("firehose", "PutRecordBatch", x => ["firehose", "put-record-batch", "--delivery-stream-name", x.Name, "--records", "Data=YQ==", "Data=Yg=="], (_, r) =>
        {
            Assert.Equal((0, 2), ((int)r!["FailedPutCount"]!, r["RequestResponses"]!.AsArray().Count));
            return Done;
        }, CreateStream),
    ];

    static string Group(ConformanceContext x) => "/conf/" + x.Name;

    static Task CreateGroup(ConformanceContext x) => x.Aws("logs", "create-log-group", "--log-group-name", Group(x));

    static async Task CreateStreamWithEvents(ConformanceContext x)
    {
        await CreateGroup(x);
        await x.Aws("logs", "create-log-stream", "--log-group-name", Group(x), "--log-stream-name", "s1");
        await x.Aws("logs", "put-log-events", "--log-group-name", Group(x), "--log-stream-name", "s1",
            "--log-events", "timestamp=1767225600000,message=started", "timestamp=1767225601000,message=failed: disk full");
    }

    static async Task<JsonNode> DescribeGroup(ConformanceContext x) =>
        (await x.Aws("logs", "describe-log-groups", "--log-group-name-prefix", Group(x)))!["logGroups"]!.AsArray().Single()!;

    static ConformanceRow[] Logs =>
    [
        Row("logs", "CreateLogGroup", x => ["logs", "create-log-group", "--log-group-name", Group(x)], async (x, _) =>
            Assert.Equal(Group(x), (string?)(await DescribeGroup(x))["logGroupName"])),
        Error("logs", "CreateLogGroup", x => ["logs", "create-log-group", "--log-group-name", Group(x)], "ResourceAlreadyExistsException", CreateGroup),
        Row("logs", "DescribeLogGroups", x => ["logs", "describe-log-groups", "--log-group-name-prefix", Group(x)], (x, r) =>
        {
            var g = r!["logGroups"]!.AsArray().Single()!;
            Assert.Equal((Group(x), $"arn:aws:logs:us-east-1:123456789012:log-group:{Group(x)}:*"), ((string?)g["logGroupName"], (string?)g["arn"]));
            return Done;
        }, CreateGroup),
        Row("logs", "DeleteLogGroup", x => ["logs", "delete-log-group", "--log-group-name", Group(x)], async (x, _) =>
            Assert.Empty((await x.Aws("logs", "describe-log-groups", "--log-group-name-prefix", Group(x)))!["logGroups"]!.AsArray()), CreateGroup),
        Error("logs", "DeleteLogGroup", x => ["logs", "delete-log-group", "--log-group-name", Group(x)], "ResourceNotFoundException"),
        Row("logs", "PutRetentionPolicy", x => ["logs", "put-retention-policy", "--log-group-name", Group(x), "--retention-in-days", "7"], async (x, _) =>
            Assert.Equal(7, (int?)(await DescribeGroup(x))["retentionInDays"]), CreateGroup),
        Row("logs", "CreateLogStream", x => ["logs", "create-log-stream", "--log-group-name", Group(x), "--log-stream-name", "s1"], async (x, _) =>
        {
            var streams = (await x.Aws("logs", "describe-log-streams", "--log-group-name", Group(x)))!["logStreams"]!.AsArray();
            Assert.Equal(["s1"], streams.Select(s => (string?)s!["logStreamName"]));
        }, CreateGroup),
        Row("logs", "DescribeLogStreams", x => ["logs", "describe-log-streams", "--log-group-name", Group(x), "--log-stream-name-prefix", "s"], (x, r) =>
        {
            var s = r!["logStreams"]!.AsArray().Single()!;
            Assert.Equal(("s1", 1767225600000L, 1767225601000L), ((string?)s["logStreamName"], (long?)s["firstEventTimestamp"], (long?)s["lastEventTimestamp"]));
            return Done;
        }, CreateStreamWithEvents),
        Row("logs", "PutLogEvents", x => ["logs", "put-log-events", "--log-group-name", Group(x), "--log-stream-name", "s1", "--log-events", "timestamp=1767225602000,message=again"],
            async (x, r) =>
            {
                Assert.False(string.IsNullOrEmpty((string?)r!["nextSequenceToken"]));
                var events = (await x.Aws("logs", "get-log-events", "--log-group-name", Group(x), "--log-stream-name", "s1", "--start-from-head"))!["events"]!.AsArray();
                Assert.Equal(["started", "failed: disk full", "again"], events.Select(e => (string?)e!["message"]));
            }, CreateStreamWithEvents),
        Error("logs", "PutLogEvents", x => ["logs", "put-log-events", "--log-group-name", Group(x), "--log-stream-name", "nosuch", "--log-events", "timestamp=1,message=m"],
            "ResourceNotFoundException", CreateGroup),
        Row("logs", "GetLogEvents", x => ["logs", "get-log-events", "--log-group-name", Group(x), "--log-stream-name", "s1", "--start-from-head"], (_, r) =>
        {
            Assert.Equal(["started", "failed: disk full"], r!["events"]!.AsArray().Select(e => (string?)e!["message"]));
            return Done;
        }, CreateStreamWithEvents),
        Row("logs", "FilterLogEvents", x => ["logs", "filter-log-events", "--log-group-name", Group(x), "--filter-pattern", "\"disk full\""], (_, r) =>
        {
            var e = r!["events"]!.AsArray().Single()!;
            Assert.Equal(("s1", "failed: disk full"), ((string?)e["logStreamName"], (string?)e["message"]));
            return Done;
        }, CreateStreamWithEvents),
    ];
}
