using Ops.Aws.Sqs;

namespace Ops.LocalCloud.Tests;

/// <summary>What SQS accepts in a message: size up to the queue's MaximumMessageSize (1 MiB at most), a non-empty body of XML characters.</summary>
[Collection(LocalCloudCollection.Name)]
public class SqsMessageLimitTests(LocalCloudFixture cloud)
{
    readonly SqsClient _sqs = new(cloud.Connection);

    async Task<string> Queue(Dictionary<string, string>? attributes = null) =>
        (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = LocalCloudFixture.Unique("limits"), Attributes = attributes })).QueueUrl!;

    async Task<string> Count(string url) =>
        (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages"] })).Attributes!["ApproximateNumberOfMessages"];

    [Fact]
    public async Task The_default_maximum_is_1_MiB_and_a_larger_body_is_rejected_with_nothing_enqueued()
    {
        var url = await Queue();
        var attributes = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["MaximumMessageSize"] })).Attributes!;
        Assert.Equal("1048576", attributes["MaximumMessageSize"]);
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = new string('x', 1048576) });
        var e = await AwsAssert.ErrorCode("InvalidParameterValue", () => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = new string('x', 1048577) }));
        Assert.Contains("1048576", e.Message);
        Assert.Equal("1", await Count(url));
    }

    [Fact]
    public async Task A_queue_maximum_counts_the_body_in_utf8_bytes_plus_the_message_attributes()
    {
        var url = await Queue(new() { ["MaximumMessageSize"] = "1024" });
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = new string('x', 1024) });
        var e = await AwsAssert.ErrorCode("InvalidParameterValue", () => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = new string('é', 513) }));
        Assert.Contains("1024", e.Message);
        await AwsAssert.ErrorCode("InvalidParameterValue", () => _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = new string('x', 1000),
            MessageAttributes = new() { ["trace"] = new MessageAttributeValue { DataType = "String", StringValue = new string('t', 20) } },
        }));
        Assert.Equal("1", await Count(url));
    }

    [Fact]
    public async Task Empty_bodies_and_characters_outside_the_allowed_set_are_rejected()
    {
        var url = await Queue();
        await AwsAssert.ErrorCode("MissingParameter", () => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "" }));
        foreach (var bad in new[] { "nul\u0000", "bell\u0007", "esc\u001b", "non-char\uFFFE" })
            await AwsAssert.ErrorCode("InvalidMessageContents", () => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = bad }));
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "tab\t cr\r lf\n é \uE000 \U0001F680" });
        Assert.Equal("1", await Count(url));
    }
}
