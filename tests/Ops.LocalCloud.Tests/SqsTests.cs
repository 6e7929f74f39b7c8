using Ops.Aws.Sqs;

namespace Ops.LocalCloud.Tests;

[Collection(LocalCloudCollection.Name)]
public class SqsTests(LocalCloudFixture cloud)
{
    readonly SqsClient _sqs = new(cloud.Connection);

    async Task<string> Queue(Dictionary<string, string>? attributes = null) =>
        (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = LocalCloudFixture.Unique("q"), Attributes = attributes })).QueueUrl!;

    [Fact]
    public async Task A_received_message_is_invisible_until_its_timeout_then_comes_back_with_a_higher_receive_count()
    {
        var url = await Queue(new() { ["VisibilityTimeout"] = "3" });   // wide enough that a busy machine cannot outlast it between two calls
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "work" });
        var first = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MessageSystemAttributeNames = ["All"] })).Messages!.Single();
        Assert.Equal("1", first.Attributes!["ApproximateReceiveCount"]);
        Assert.Empty((await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url })).Messages ?? []);
        var again = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 6,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"] })).Messages!.Single();
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal("2", again.Attributes!["ApproximateReceiveCount"]);
        await _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = url, ReceiptHandle = again.ReceiptHandle });
        var counts = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] })).Attributes!;
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
        Assert.Equal("0", counts["ApproximateNumberOfMessagesNotVisible"]);
    }

    [Fact]
    public async Task Long_polling_returns_as_soon_as_a_message_arrives()
    {
        var url = await Queue();
        var receive = _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 10 });
        await Task.Delay(200);
        Assert.False(receive.IsCompleted);
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "late" });
        var got = await receive.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("late", got.Messages!.Single().Body);
    }

    [Fact]
    public async Task Delayed_messages_wait_and_redrive_moves_poison_messages_to_the_dead_letter_queue()
    {
        var dlq = await Queue();
        var arn = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = dlq, AttributeNames = ["QueueArn"] })).Attributes!["QueueArn"];
        var url = await Queue(new() { ["VisibilityTimeout"] = "0", ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{arn}}","maxReceiveCount":"2"}""" });

        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "later", DelaySeconds = 3 });
        Assert.Empty((await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url })).Messages ?? []);
        Assert.Equal("1", (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessagesDelayed"] })).Attributes!["ApproximateNumberOfMessagesDelayed"]);
        for (var i = 0; i < 2; i++)   // the first long poll waits out the delay
            Assert.Equal("later", (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 6 })).Messages!.Single().Body);
        Assert.Empty((await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url })).Messages ?? []);
        Assert.Equal("later", (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = dlq })).Messages!.Single().Body);
    }

    [Fact]
    public async Task Errors_carry_the_query_compatible_code()
    {
        await AwsAssert.ErrorCode("AWS.SimpleQueueService.NonExistentQueue",
            () => _sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = "no-such-queue" }));
    }
}
