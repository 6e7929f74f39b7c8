using Ops.Aws.Sns;

namespace Ops.Aws.Tests;

/// <summary>SNS (awsQuery): topics, subscriptions to SQS, publish, and ListTopics over more than one page.</summary>
public abstract class SnsTests(ITestCloud moto)
{
    readonly SnsClient _sns = new(moto.Connection);

    [Fact]
    public async Task Topics_subscriptions_and_publish_round_trip()
    {
        var name = MotoServer.Unique("StaffNotifications");
        var arn = (await _sns.CreateTopicAsync(new CreateTopicInput { Name = name, Tags = [new Tag { Key = "Stage", Value = "dev" }] })).TopicArn!;
        await _sns.SetTopicAttributesAsync(new SetTopicAttributesInput { TopicArn = arn, AttributeName = "DisplayName", AttributeValue = "Staff" });
        Assert.Equal("Staff", (await _sns.GetTopicAttributesAsync(new GetTopicAttributesInput { TopicArn = arn })).Attributes!["DisplayName"]);

        var sqs = new Ops.Aws.Sqs.SqsClient(moto.Connection);
        var queue = (await sqs.CreateQueueAsync(new Ops.Aws.Sqs.CreateQueueRequest { QueueName = name })).QueueUrl!;
        var queueArn = (await sqs.GetQueueAttributesAsync(new Ops.Aws.Sqs.GetQueueAttributesRequest { QueueUrl = queue,
            AttributeNames = ["QueueArn"] })).Attributes!["QueueArn"];
        var sub = (await _sns.SubscribeAsync(new SubscribeInput { TopicArn = arn, Protocol = "sqs", Endpoint = queueArn,
            ReturnSubscriptionArn = true })).SubscriptionArn!;
        await _sns.SetSubscriptionAttributesAsync(new SetSubscriptionAttributesInput { SubscriptionArn = sub, AttributeName = "RawMessageDelivery", AttributeValue = "true" });
        Assert.Equal("true", (await _sns.GetSubscriptionAttributesAsync(new GetSubscriptionAttributesInput { SubscriptionArn = sub })).Attributes!["RawMessageDelivery"]);
        Assert.Contains(await _sns.ListSubscriptionsByTopicItemsAsync(new ListSubscriptionsByTopicInput { TopicArn = arn }).ToListAsync(),
            s => s.SubscriptionArn == sub);
        Assert.Contains(await _sns.ListSubscriptionsItemsAsync(new ListSubscriptionsInput()).ToListAsync(), s => s.SubscriptionArn == sub);

        var published = await _sns.PublishAsync(new PublishInput
        {
            TopicArn = arn,
            Message = "deploy finished",
            Subject = "ops",
            MessageAttributes = new() { ["stage"] = new MessageAttributeValue { DataType = "String", StringValue = "dev" } },
        });
        Assert.NotNull(published.MessageId);
        var delivered = await sqs.ReceiveMessageAsync(new Ops.Aws.Sqs.ReceiveMessageRequest { QueueUrl = queue, WaitTimeSeconds = 1 });
        Assert.Equal("deploy finished", Assert.Single(delivered.Messages!).Body);

        await _sns.UnsubscribeAsync(new UnsubscribeInput { SubscriptionArn = sub });
        await _sns.DeleteTopicAsync(new DeleteTopicInput { TopicArn = arn });
        await AwsAssert.ErrorCode("NotFound", () => _sns.GetTopicAttributesAsync(new GetTopicAttributesInput { TopicArn = arn }));
    }

    [Fact]
    public async Task ListTopics_follows_NextToken_across_pages()
    {
        var prefix = MotoServer.Unique("page");
        for (var i = 0; i < 105; i++) await _sns.CreateTopicAsync(new CreateTopicInput { Name = $"{prefix}-{i}" });
        var pages = await _sns.ListTopicsPagesAsync(new ListTopicsInput()).ToListAsync();
        Assert.True(pages.Count >= 2, $"{pages.Count} page(s)");   // moto pages at 100
        var mine = pages.SelectMany(p => p.Topics!).Count(t => t.TopicArn!.Contains(prefix));
        Assert.Equal(105, mine);
        Assert.Equal(105, (await _sns.ListTopicsItemsAsync(new ListTopicsInput()).ToListAsync()).Count(t => t.TopicArn!.Contains(prefix)));
    }
}

[Collection(MotoCollection.Name)]
public sealed class SnsTestsOnMoto(MotoServer cloud) : SnsTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class SnsTestsOnLocalCloud(LocalCloudTestServer cloud) : SnsTests(cloud);
