using Ops.Aws.Sqs;

namespace Ops.LocalCloud.Tests;

/// <summary>FIFO queues: names, group ids, deduplication within five minutes, and one message of a group in flight at a time.</summary>
[Collection(LocalCloudCollection.Name)]
public class SqsFifoTests(LocalCloudFixture cloud)
{
    readonly SqsClient _sqs = new(cloud.Connection);

    async Task<string> Fifo(bool contentBased = false) =>
        (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = LocalCloudFixture.Unique("fifo") + ".fifo",
            Attributes = new() { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = contentBased ? "true" : "false" },
        })).QueueUrl!;

    [Fact]
    public async Task A_queue_name_ends_in_fifo_exactly_when_FifoQueue_is_true()
    {
        await AwsAssert.ErrorCode("InvalidParameterValue", () => _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = LocalCloudFixture.Unique("nofifo"),
            Attributes = new() { ["FifoQueue"] = "true" },
        }));
        await AwsAssert.ErrorCode("InvalidParameterValue", () => _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = LocalCloudFixture.Unique("std") + ".fifo",
        }));
        var url = await Fifo();
        var attributes = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] })).Attributes!;
        Assert.Equal("true", attributes["FifoQueue"]);
    }

    [Fact]
    public async Task A_fifo_send_needs_a_group_id_and_a_deduplication_id_and_takes_no_per_message_delay()
    {
        var url = await Fifo();
        await AwsAssert.ErrorCode("MissingParameter", () => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "x", MessageDeduplicationId = "d" }));
        await AwsAssert.ErrorCode("InvalidParameterValue", () => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "x", MessageGroupId = "g" }));
        await AwsAssert.ErrorCode("InvalidParameterValue", () => _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "x",
            MessageGroupId = "g",
            MessageDeduplicationId = "d",
            DelaySeconds = 5,
        }));
        var counts = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages"] })).Attributes!;
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task A_duplicate_within_five_minutes_returns_the_original_message_id_and_is_not_enqueued()
    {
        var url = await Fifo();
        var first = await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "deploy", MessageGroupId = "g", MessageDeduplicationId = "d1" });
        var again = await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "deploy again", MessageGroupId = "g", MessageDeduplicationId = "d1" });
        Assert.NotNull(first.SequenceNumber);
        Assert.Equal((first.MessageId, first.SequenceNumber), (again.MessageId, again.SequenceNumber));

        var received = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10,
            MessageSystemAttributeNames = ["All"] })).Messages!;
        var m = Assert.Single(received);
        Assert.Equal("deploy", m.Body);
        Assert.Equal("g", m.Attributes!["MessageGroupId"]);
        Assert.Equal("d1", m.Attributes["MessageDeduplicationId"]);
        Assert.Equal(first.SequenceNumber, m.Attributes["SequenceNumber"]);
        // Deleting the message does not end the window: the id is still a duplicate.
        await _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = url, ReceiptHandle = m.ReceiptHandle });
        Assert.Equal(first.MessageId,
            (await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "deploy", MessageGroupId = "g",
                MessageDeduplicationId = "d1" })).MessageId);
        Assert.Empty((await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url })).Messages ?? []);
    }

    [Fact]
    public async Task Content_based_deduplication_treats_the_same_body_as_a_duplicate()
    {
        var url = await Fifo(contentBased: true);
        var batch = await _sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = url,
            Entries =
            [
                new SendMessageBatchRequestEntry { Id = "a", MessageBody = "same", MessageGroupId = "g" },
                new SendMessageBatchRequestEntry { Id = "b", MessageBody = "same", MessageGroupId = "g" },
                new SendMessageBatchRequestEntry { Id = "c", MessageBody = "other", MessageGroupId = "g" },
            ],
        });
        Assert.Equal(3, batch.Successful!.Count);
        Assert.Equal(batch.Successful[0].MessageId, batch.Successful[1].MessageId);
        Assert.All(batch.Successful, e => Assert.NotNull(e.SequenceNumber));
        var bodies = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10 })).Messages!.Select(m => m.Body);
        Assert.Equal(["same", "other"], bodies);
    }

    [Fact]
    public async Task A_group_is_delivered_in_order_and_held_while_one_of_its_messages_is_in_flight()
    {
        var url = await Fifo(contentBased: true);
        foreach (var (group, body) in new[] { ("g1", "a"), ("g1", "b"), ("g2", "c"), ("g1", "d") })
            await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = body, MessageGroupId = group });

        var a = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, VisibilityTimeout = 60 })).Messages!.Single();
        Assert.Equal("a", a.Body);
        // g1 is in flight: only g2 can be delivered.
        var next = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, VisibilityTimeout = 60 })).Messages!;
        Assert.Equal(["c"], next.Select(m => m.Body));
        Assert.Empty((await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10 })).Messages ?? []);

        await _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = url, ReceiptHandle = a.ReceiptHandle });
        var rest = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10 })).Messages!;
        Assert.Equal(["b", "d"], rest.Select(m => m.Body));
    }
}
