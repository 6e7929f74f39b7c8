using Ops.Aws.Sqs;

namespace Ops.LocalCloud.Tests;

/// <summary>SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch: request-level checks, and per-entry failures beside successes.</summary>
[Collection(LocalCloudCollection.Name)]
public class SqsBatchTests(LocalCloudFixture cloud)
{
    readonly SqsClient _sqs = new(cloud.Connection);

    async Task<string> Queue() => (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = LocalCloudFixture.Unique("batch") })).QueueUrl!;

    static List<string> Ids(params string[] ids) => [.. ids];

    Task Send(string url, List<string> ids) => _sqs.SendMessageBatchAsync(new SendMessageBatchRequest
    {
        QueueUrl = url,
        Entries = ids.Select(id => new SendMessageBatchRequestEntry { Id = id, MessageBody = "m" }).ToList(),
    });

    Task Delete(string url, List<string> ids) => _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
    {
        QueueUrl = url,
        Entries = ids.Select(id => new DeleteMessageBatchRequestEntry { Id = id, ReceiptHandle = "handle-" + id }).ToList(),
    });

    Task Change(string url, List<string> ids) => _sqs.ChangeMessageVisibilityBatchAsync(new ChangeMessageVisibilityBatchRequest
    {
        QueueUrl = url,
        Entries = ids.Select(id => new ChangeMessageVisibilityBatchRequestEntry { Id = id, ReceiptHandle = "handle-" + id, VisibilityTimeout = 5 }).ToList(),
    });

    [Fact]
    public async Task Every_batch_call_rejects_empty_too_long_duplicate_and_malformed_entry_lists()
    {
        var url = await Queue();
        foreach (var call in new Func<string, List<string>, Task>[] { Send, Delete, Change })
        {
            await AwsAssert.ErrorCode("AWS.SimpleQueueService.EmptyBatchRequest", () => call(url, Ids()));
            await AwsAssert.ErrorCode("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", () => call(url, Enumerable.Range(0, 11).Select(n => $"e{n}").ToList()));
            await AwsAssert.ErrorCode("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", () => call(url, Ids("a", "b", "a")));
            await AwsAssert.ErrorCode("AWS.SimpleQueueService.InvalidBatchEntryId", () => call(url, Ids("a", "not ok")));
            await AwsAssert.ErrorCode("AWS.SimpleQueueService.InvalidBatchEntryId", () => call(url, Ids(new string('x', 81))));
        }
        var counts = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages"] })).Attributes!;
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task A_send_batch_over_1_MiB_in_total_is_rejected_whole()
    {
        var url = await Queue();
        var body = new string('x', 600 * 1024);
        await AwsAssert.ErrorCode("AWS.SimpleQueueService.BatchRequestTooLong", () => _sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = url,
            Entries = [new() { Id = "a", MessageBody = body }, new() { Id = "b", MessageBody = body }],
        }));
        var counts = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages"] })).Attributes!;
        Assert.Equal("0", counts["ApproximateNumberOfMessages"]);
    }

    [Fact]
    public async Task A_bad_entry_fails_alone_while_the_others_succeed()
    {
        var url = await Queue();
        var sent = await _sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = url,
            Entries = [new() { Id = "good", MessageBody = "fine" }, new() { Id = "bad", MessageBody = "bell\u0007" }],
        });
        Assert.Equal("good", Assert.Single(sent.Successful!).Id);
        var failed = Assert.Single(sent.Failed!);
        Assert.Equal(("bad", "InvalidMessageContents", true), (failed.Id, failed.Code, failed.SenderFault));

        var m = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10,
            VisibilityTimeout = 60 })).Messages!.Single();
        Assert.Equal("fine", m.Body);
        var changed = await _sqs.ChangeMessageVisibilityBatchAsync(new ChangeMessageVisibilityBatchRequest
        {
            QueueUrl = url,
            Entries = [new() { Id = "ok", ReceiptHandle = m.ReceiptHandle, VisibilityTimeout = 120 },
                new() { Id = "junk", ReceiptHandle = "not-a-handle", VisibilityTimeout = 0 }],
        });
        Assert.Equal("ok", Assert.Single(changed.Successful!).Id);
        Assert.Equal(("junk", "ReceiptHandleIsInvalid", true), (changed.Failed!.Single().Id, changed.Failed!.Single().Code, changed.Failed!.Single().SenderFault));

        var deleted = await _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
        {
            QueueUrl = url,
            Entries = [new() { Id = "ok", ReceiptHandle = m.ReceiptHandle }, new() { Id = "junk", ReceiptHandle = "not-a-handle" }],
        });
        Assert.Equal("ok", Assert.Single(deleted.Successful!).Id);
        var error = Assert.Single(deleted.Failed!);
        Assert.Equal(("junk", "ReceiptHandleIsInvalid", true), (error.Id, error.Code, error.SenderFault));
        Assert.Contains("not-a-handle", error.Message);
        var counts = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] })).Attributes!;
        Assert.Equal(("0", "0"), (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]));
    }
}
