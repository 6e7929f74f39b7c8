using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    const string NoSuchQueue = "AWS.SimpleQueueService.NonExistentQueue";

    static string SqsQueueUrl(ConformanceContext x) => x["url"];

    /// <summary>A queue of the row's name, tagged team=iot; its URL kept as "url".</summary>
    static async Task CreateSqsQueue(ConformanceContext x) =>
        x.Values["url"] = (string)(await x.Aws("sqs", "create-queue", "--queue-name", x.Name, "--tags", "team=iot"))!["QueueUrl"]!;

    static async Task CreateSqsQueueWithMessage(ConformanceContext x)
    {
        await CreateSqsQueue(x);
        await x.Aws("sqs", "send-message", "--queue-url", SqsQueueUrl(x), "--message-body", "hello");
    }

    /// <summary>A queue with one message received (its receipt handle kept as "handle"), so in flight.</summary>
    static async Task CreateSqsQueueWithReceivedMessage(ConformanceContext x)
    {
        await CreateSqsQueueWithMessage(x);
        x.Values["handle"] = (string)(await x.Aws("sqs", "receive-message", "--queue-url", SqsQueueUrl(x)))!["Messages"]![0]!["ReceiptHandle"]!;
    }

    /// <summary>The queue's visible and in-flight message counts.</summary>
    static async Task<(string? Visible, string? InFlight)> SqsCounts(ConformanceContext x)
    {
        var a = (await x.Aws("sqs", "get-queue-attributes", "--queue-url", SqsQueueUrl(x), "--attribute-names", "All"))!["Attributes"]!;
        return ((string?)a["ApproximateNumberOfMessages"], (string?)a["ApproximateNumberOfMessagesNotVisible"]);
    }

    static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>One batch entry "m1" for the received message, as JSON (a receipt handle may hold characters the shorthand syntax splits on).</summary>
    static string SqsEntries(ConformanceContext x, int? visibility)
    {
        var entry = new JsonObject { ["Id"] = "m1", ["ReceiptHandle"] = x["handle"] };
        if (visibility is { } v) entry["VisibilityTimeout"] = v;
        return new JsonArray(entry).ToJsonString();
    }

    static IEnumerable<string?> SqsBatchIds(JsonNode? r) => Members(r!["Successful"], "Id");

    static ConformanceRow[] Sqs =>
    [
        Row("sqs", "CreateQueue", x => ["sqs", "create-queue", "--queue-name", x.Name, "--attributes", "VisibilityTimeout=45"], async (x, r) =>
        {
            var url = (string)r!["QueueUrl"]!;
            Assert.EndsWith($"/{LocalAccount}/{x.Name}", url);
            var a = (await x.Aws("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "VisibilityTimeout"))!["Attributes"]!;
            Assert.Equal("45", (string?)a["VisibilityTimeout"]);
        }),
        Error("sqs", "CreateQueue", x => ["sqs", "create-queue", "--queue-name", x.Name, "--attributes", "VisibilityTimeout=45"], "QueueAlreadyExists", CreateSqsQueue),
        Row("sqs", "GetQueueUrl", x => ["sqs", "get-queue-url", "--queue-name", x.Name], (x, r) =>
        {
            Assert.Equal(SqsQueueUrl(x), (string?)r!["QueueUrl"]);
            return Done;
        }, CreateSqsQueue),
        Error("sqs", "GetQueueUrl", x => ["sqs", "get-queue-url", "--queue-name", x.Name], NoSuchQueue),
        Row("sqs", "ListQueues", x => ["sqs", "list-queues", "--queue-name-prefix", x.Name], (x, r) =>
        {
            Assert.Equal([SqsQueueUrl(x)], r!["QueueUrls"]!.AsArray().Select(u => (string?)u));
            return Done;
        }, CreateSqsQueue),
        Row("sqs", "DeleteQueue", x => ["sqs", "delete-queue", "--queue-url", SqsQueueUrl(x)], async (x, _) =>
        {
            var urls = (await x.Aws("sqs", "list-queues", "--queue-name-prefix", x.Name))?["QueueUrls"]?.AsArray() ?? [];
            Assert.DoesNotContain(SqsQueueUrl(x), urls.Select(u => (string?)u));
        }, CreateSqsQueue),
        Error("sqs", "DeleteQueue", x => ["sqs", "delete-queue", "--queue-url", SqsQueueUrl(x)], NoSuchQueue, async x =>
        {
            await CreateSqsQueue(x);
            await x.Aws("sqs", "delete-queue", "--queue-url", SqsQueueUrl(x));
        }),
        Row("sqs", "PurgeQueue", x => ["sqs", "purge-queue", "--queue-url", SqsQueueUrl(x)], async (x, _) =>
            Assert.Equal(("0", "0"), await SqsCounts(x)), CreateSqsQueueWithMessage),
        Row("sqs", "GetQueueAttributes", x => ["sqs", "get-queue-attributes", "--queue-url", SqsQueueUrl(x), "--attribute-names", "All"], (x, r) =>
        {
            var a = r!["Attributes"]!;
            Assert.Equal((SqsQueueArn(x), "30", "345600", "1"),
                ((string?)a["QueueArn"], (string?)a["VisibilityTimeout"], (string?)a["MessageRetentionPeriod"], (string?)a["ApproximateNumberOfMessages"]));
            return Done;
        }, CreateSqsQueueWithMessage),
        Error("sqs", "GetQueueAttributes", x => ["sqs", "get-queue-attributes", "--queue-url", $"http://localhost/{LocalAccount}/{x.Name}", "--attribute-names", "All"], NoSuchQueue),
        Row("sqs", "SetQueueAttributes", x => ["sqs", "set-queue-attributes", "--queue-url", SqsQueueUrl(x), "--attributes", "VisibilityTimeout=60"], async (x, _) =>
        {
            var a = (await x.Aws("sqs", "get-queue-attributes", "--queue-url", SqsQueueUrl(x), "--attribute-names", "VisibilityTimeout"))!["Attributes"]!;
            Assert.Equal("60", (string?)a["VisibilityTimeout"]);
        }, CreateSqsQueue),
        Row("sqs", "TagQueue", x => ["sqs", "tag-queue", "--queue-url", SqsQueueUrl(x), "--tags", "stage=prod"], async (x, _) =>
        {
            var tags = (await x.Aws("sqs", "list-queue-tags", "--queue-url", SqsQueueUrl(x)))!["Tags"]!;
            Assert.Equal("""{"team":"iot","stage":"prod"}""", tags.ToJsonString());
        }, CreateSqsQueue),
        Row("sqs", "ListQueueTags", x => ["sqs", "list-queue-tags", "--queue-url", SqsQueueUrl(x)], (_, r) =>
        {
            Assert.Equal("""{"team":"iot"}""", r!["Tags"]!.ToJsonString());
            return Done;
        }, CreateSqsQueue),
        Row("sqs", "SendMessage", x => ["sqs", "send-message", "--queue-url", SqsQueueUrl(x), "--message-body", "reading 42"], async (x, r) =>
        {
            Assert.Equal(Md5Hex("reading 42"), (string?)r!["MD5OfMessageBody"]);
            var m = (await x.Aws("sqs", "receive-message", "--queue-url", SqsQueueUrl(x)))!["Messages"]![0]!;
            Assert.Equal(((string?)r["MessageId"], "reading 42"), ((string?)m["MessageId"], (string?)m["Body"]));
        }, CreateSqsQueue),
        Error("sqs", "SendMessage", x => ["sqs", "send-message", "--queue-url", $"http://localhost/{LocalAccount}/{x.Name}", "--message-body", "m"], NoSuchQueue),
        Row("sqs", "ReceiveMessage", x => ["sqs", "receive-message", "--queue-url", SqsQueueUrl(x), "--max-number-of-messages", "10"], async (x, r) =>
        {
            var m = r!["Messages"]!.AsArray().Single()!;
            Assert.Equal(("hello", Md5Hex("hello")), ((string?)m["Body"], (string?)m["MD5OfBody"]));
            Assert.False(string.IsNullOrEmpty((string?)m["ReceiptHandle"]));
            Assert.Equal(("0", "1"), await SqsCounts(x));
        }, CreateSqsQueueWithMessage),
        Row("sqs", "DeleteMessage", x => ["sqs", "delete-message", "--queue-url", SqsQueueUrl(x), "--receipt-handle", x["handle"]], async (x, _) =>
            Assert.Equal(("0", "0"), await SqsCounts(x)), CreateSqsQueueWithReceivedMessage),
        Error("sqs", "DeleteMessage", x => ["sqs", "delete-message", "--queue-url", SqsQueueUrl(x), "--receipt-handle", "not-a-handle"], "ReceiptHandleIsInvalid", CreateSqsQueue),
        Row("sqs", "ChangeMessageVisibility", x => ["sqs", "change-message-visibility", "--queue-url", SqsQueueUrl(x), "--receipt-handle", x["handle"], "--visibility-timeout", "0"],
            async (x, _) => Assert.Equal(("1", "0"), await SqsCounts(x)), CreateSqsQueueWithReceivedMessage),
        Row("sqs", "SendMessageBatch", x => ["sqs", "send-message-batch", "--queue-url", SqsQueueUrl(x), "--entries", "Id=a,MessageBody=one", "Id=b,MessageBody=two"], async (x, r) =>
        {
            Assert.Equal(["a", "b"], SqsBatchIds(r).Order());
            Assert.Equal([Md5Hex("one"), Md5Hex("two")], r!["Successful"]!.AsArray().OrderBy(e => (string?)e!["Id"]).Select(e => (string?)e!["MD5OfMessageBody"]));
            Assert.Equal(("2", "0"), await SqsCounts(x));
        }, CreateSqsQueue),
        Row("sqs", "DeleteMessageBatch", x => ["sqs", "delete-message-batch", "--queue-url", SqsQueueUrl(x), "--entries", SqsEntries(x, null)], async (x, r) =>
        {
            Assert.Equal(["m1"], SqsBatchIds(r));
            Assert.Equal(("0", "0"), await SqsCounts(x));
        }, CreateSqsQueueWithReceivedMessage),
        Row("sqs", "ChangeMessageVisibilityBatch",
            x => ["sqs", "change-message-visibility-batch", "--queue-url", SqsQueueUrl(x), "--entries", SqsEntries(x, 0)], async (x, r) =>
            {
                Assert.Equal(["m1"], SqsBatchIds(r));
                Assert.Equal(("1", "0"), await SqsCounts(x));
            }, CreateSqsQueueWithReceivedMessage),
    ];
}
