using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    static string SnsTopicArn(ConformanceContext x) => $"arn:aws:sns:us-east-1:{LocalAccount}:{x.Name}";

    static string SqsQueueArn(ConformanceContext x) => $"arn:aws:sqs:us-east-1:{LocalAccount}:{x.Name}";

    static Task CreateSnsTopic(ConformanceContext x) => x.Aws("sns", "create-topic", "--name", x.Name, "--attributes", "DisplayName=Alerts");

    /// <summary>A topic and a queue of the row's name, the queue subscribed to the topic (its ARN kept as "sub").</summary>
    static async Task CreateSnsSubscription(ConformanceContext x)
    {
        await CreateSnsTopic(x);
        await x.Aws("sqs", "create-queue", "--queue-name", x.Name);
        x.Values["sub"] = (string)(await x.Aws("sns", "subscribe", "--topic-arn", SnsTopicArn(x), "--protocol", "sqs", "--notification-endpoint", SqsQueueArn(x)))!["SubscriptionArn"]!;
    }

    static async Task<JsonNode> SnsSubscriptionAttributes(ConformanceContext x) =>
        (await x.Aws("sns", "get-subscription-attributes", "--subscription-arn", x["sub"]))!["Attributes"]!;

    static async Task<IEnumerable<string?>> SnsTopicArns(ConformanceContext x) => Members((await x.Aws("sns", "list-topics"))!["Topics"], "TopicArn");

    static ConformanceRow[] Sns =>
    [
        Row("sns", "CreateTopic", x => ["sns", "create-topic", "--name", x.Name], async (x, r) =>
        {
            Assert.Equal(SnsTopicArn(x), (string?)r!["TopicArn"]);
            Assert.Contains(SnsTopicArn(x), await SnsTopicArns(x));
        }),
        Row("sns", "ListTopics", _ => ["sns", "list-topics"], (x, r) =>
        {
            Assert.Contains(SnsTopicArn(x), Members(r!["Topics"], "TopicArn"));
            return Done;
        }, CreateSnsTopic),
        Row("sns", "DeleteTopic", x => ["sns", "delete-topic", "--topic-arn", SnsTopicArn(x)], async (x, _) =>
            Assert.DoesNotContain(SnsTopicArn(x), await SnsTopicArns(x)), CreateSnsTopic),
        Row("sns", "GetTopicAttributes", x => ["sns", "get-topic-attributes", "--topic-arn", SnsTopicArn(x)], (x, r) =>
        {
            var a = r!["Attributes"]!;
            Assert.Equal((SnsTopicArn(x), LocalAccount, "Alerts"), ((string?)a["TopicArn"], (string?)a["Owner"], (string?)a["DisplayName"]));
            return Done;
        }, CreateSnsTopic),
        Error("sns", "GetTopicAttributes", x => ["sns", "get-topic-attributes", "--topic-arn", SnsTopicArn(x)], "NotFound"),
        Row("sns", "SetTopicAttributes", x => ["sns", "set-topic-attributes", "--topic-arn", SnsTopicArn(x), "--attribute-name", "DisplayName", "--attribute-value", "Pager"],
            async (x, _) => Assert.Equal("Pager", (string?)(await x.Aws("sns", "get-topic-attributes", "--topic-arn", SnsTopicArn(x)))!["Attributes"]!["DisplayName"]),
            CreateSnsTopic),
        Error("sns", "SetTopicAttributes", x => ["sns", "set-topic-attributes", "--topic-arn", SnsTopicArn(x), "--attribute-name", "DisplayName", "--attribute-value", "Pager"],
            "NotFound"),
        Row("sns", "Subscribe", x => ["sns", "subscribe", "--topic-arn", SnsTopicArn(x), "--protocol", "sqs", "--notification-endpoint", SqsQueueArn(x)], async (x, r) =>
        {
            var arn = (string)r!["SubscriptionArn"]!;
            Assert.StartsWith(SnsTopicArn(x) + ":", arn);
            var listed = (await x.Aws("sns", "list-subscriptions-by-topic", "--topic-arn", SnsTopicArn(x)))!["Subscriptions"]!.AsArray().Single()!;
            Assert.Equal((arn, "sqs", SqsQueueArn(x)), ((string?)listed["SubscriptionArn"], (string?)listed["Protocol"], (string?)listed["Endpoint"]));
        }, async x =>
        {
            await CreateSnsTopic(x);
            await x.Aws("sqs", "create-queue", "--queue-name", x.Name);
        }),
        Error("sns", "Subscribe", x => ["sns", "subscribe", "--topic-arn", SnsTopicArn(x), "--protocol", "sqs", "--notification-endpoint", SqsQueueArn(x)], "NotFound"),
        Row("sns", "Unsubscribe", x => ["sns", "unsubscribe", "--subscription-arn", x["sub"]], async (x, _) =>
            Assert.Empty((await x.Aws("sns", "list-subscriptions-by-topic", "--topic-arn", SnsTopicArn(x)))!["Subscriptions"]!.AsArray()), CreateSnsSubscription),
        Error("sns", "Unsubscribe", x => ["sns", "unsubscribe", "--subscription-arn", SnsTopicArn(x) + ":00000000-0000-0000-0000-000000000000"], "NotFound", CreateSnsTopic),
        Row("sns", "ListSubscriptions", _ => ["sns", "list-subscriptions"], (x, r) =>
        {
            var s = r!["Subscriptions"]!.AsArray().Single(s => (string?)s!["SubscriptionArn"] == x["sub"])!;
            Assert.Equal((SnsTopicArn(x), "sqs", SqsQueueArn(x), LocalAccount), ((string?)s["TopicArn"], (string?)s["Protocol"], (string?)s["Endpoint"], (string?)s["Owner"]));
            return Done;
        }, CreateSnsSubscription),
        Row("sns", "ListSubscriptionsByTopic", x => ["sns", "list-subscriptions-by-topic", "--topic-arn", SnsTopicArn(x)], (x, r) =>
        {
            var s = r!["Subscriptions"]!.AsArray().Single()!;
            Assert.Equal((x["sub"], SnsTopicArn(x), "sqs", SqsQueueArn(x)), ((string?)s["SubscriptionArn"], (string?)s["TopicArn"], (string?)s["Protocol"], (string?)s["Endpoint"]));
            return Done;
        }, CreateSnsSubscription),
        Error("sns", "ListSubscriptionsByTopic", x => ["sns", "list-subscriptions-by-topic", "--topic-arn", SnsTopicArn(x)], "NotFound"),
        Row("sns", "GetSubscriptionAttributes", x => ["sns", "get-subscription-attributes", "--subscription-arn", x["sub"]], (x, r) =>
        {
            var a = r!["Attributes"]!;
            Assert.Equal((x["sub"], SnsTopicArn(x), "sqs", SqsQueueArn(x), "false"),
                ((string?)a["SubscriptionArn"], (string?)a["TopicArn"], (string?)a["Protocol"], (string?)a["Endpoint"], (string?)a["PendingConfirmation"]));
            return Done;
        }, CreateSnsSubscription),
        Error("sns", "GetSubscriptionAttributes",
            x => ["sns", "get-subscription-attributes", "--subscription-arn", SnsTopicArn(x) + ":00000000-0000-0000-0000-000000000000"], "NotFound", CreateSnsTopic),
        Row("sns", "SetSubscriptionAttributes",
            x => ["sns", "set-subscription-attributes", "--subscription-arn", x["sub"], "--attribute-name", "RawMessageDelivery", "--attribute-value", "true"],
            async (x, _) => Assert.Equal("true", (string?)(await SnsSubscriptionAttributes(x))["RawMessageDelivery"]), CreateSnsSubscription),
        Row("sns", "Publish", x => ["sns", "publish", "--topic-arn", SnsTopicArn(x), "--subject", "deploy", "--message", "rollout finished"], async (x, r) =>
        {
            var id = (string)r!["MessageId"]!;
            var url = (string)(await x.Aws("sqs", "get-queue-url", "--queue-name", x.Name))!["QueueUrl"]!;
            var body = JsonNode.Parse((string)(await x.Aws("sqs", "receive-message", "--queue-url", url))!["Messages"]![0]!["Body"]!)!;
            Assert.Equal(("Notification", id, SnsTopicArn(x), "deploy", "rollout finished"),
                ((string?)body["Type"], (string?)body["MessageId"], (string?)body["TopicArn"], (string?)body["Subject"], (string?)body["Message"]));
        }, CreateSnsSubscription),
        Error("sns", "Publish", x => ["sns", "publish", "--topic-arn", SnsTopicArn(x), "--message", "m"], "NotFound"),
    ];
}
