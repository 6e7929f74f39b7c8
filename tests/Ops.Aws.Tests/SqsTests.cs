using Ops.Aws.Sqs;

namespace Ops.Aws.Tests;

/// <summary>SQS (awsJson 1.0, query-compatible).</summary>
public abstract class SqsTests(ITestCloud moto)
{
    readonly SqsClient _sqs = new(moto.Connection);

    [Fact]
    public async Task Queues_messages_visibility_and_batches_round_trip()
    {
        var name = MotoServer.Unique("iotile-worker-dev");
        var dlq = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name + "-dlq" })).QueueUrl!;
        var dlqArn = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = dlq, AttributeNames = ["QueueArn"] })).Attributes!["QueueArn"];
        var url = (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new() { ["VisibilityTimeout"] = "30", ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":"5"}""" },
            Tags = new() { ["Stage"] = "dev" },
        })).QueueUrl!;
        Assert.Equal(url, (await _sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name })).QueueUrl);
        Assert.Contains(url, (await _sqs.ListQueuesAsync(new ListQueuesRequest { QueueNamePrefix = name })).QueueUrls!);
        await _sqs.TagQueueAsync(new TagQueueRequest { QueueUrl = url, Tags = new() { ["Project"] = "IOTileCloud" } });
        Assert.Equal("IOTileCloud", (await _sqs.ListQueueTagsAsync(new ListQueueTagsRequest { QueueUrl = url })).Tags!["Project"]);
        await _sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest { QueueUrl = url, Attributes = new() { ["ReceiveMessageWaitTimeSeconds"] = "1" } });

        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = """{"module":"apps.sqsworker.worker","class":"WorkerShutDownAction"}""" });
        var batch = await _sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = url,
            Entries = [new SendMessageBatchRequestEntry { Id = "a", MessageBody = "one" }, new SendMessageBatchRequestEntry { Id = "b", MessageBody = "two" }],
        });
        Assert.Equal(2, batch.Successful!.Count);

        var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 1,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"] });
        Assert.Equal(3, received.Messages!.Count);
        Assert.Equal("1", received.Messages[0].Attributes!["ApproximateReceiveCount"]);
        var first = received.Messages[0];
        await _sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest { QueueUrl = url, ReceiptHandle = first.ReceiptHandle,
            VisibilityTimeout = 0 });
        await _sqs.ChangeMessageVisibilityBatchAsync(new ChangeMessageVisibilityBatchRequest
        {
            QueueUrl = url,
            Entries = [new ChangeMessageVisibilityBatchRequestEntry { Id = "x", ReceiptHandle = received.Messages[1].ReceiptHandle, VisibilityTimeout = 60 }],
        });
        await _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = url, ReceiptHandle = received.Messages[2].ReceiptHandle });
        var deleted = await _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
        {
            QueueUrl = url,
            Entries = [new DeleteMessageBatchRequestEntry { Id = "y", ReceiptHandle = received.Messages[1].ReceiptHandle }],
        });
        Assert.Single(deleted.Successful!);

        // Visibility 0: the first message is back at once.
        var again = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 1 });
        Assert.Equal(first.MessageId, Assert.Single(again.Messages!).MessageId);

        await _sqs.PurgeQueueAsync(new PurgeQueueRequest { QueueUrl = url });
        await _sqs.DeleteQueueAsync(new DeleteQueueRequest { QueueUrl = url });
        await _sqs.DeleteQueueAsync(new DeleteQueueRequest { QueueUrl = dlq });
        // The query-compatible code, as older SDKs and the worker code know it.
        await AwsAssert.ErrorCode("AWS.SimpleQueueService.NonExistentQueue", () => _sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class SqsTestsOnMoto(MotoServer cloud) : SqsTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class SqsTestsOnLocalCloud(LocalCloudTestServer cloud) : SqsTests(cloud);
