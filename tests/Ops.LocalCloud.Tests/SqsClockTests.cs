using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.Sqs;

namespace Ops.LocalCloud.Tests;

/// <summary>SQS follows the injected clock: visibility, delays, deduplication windows and long polls move when the test moves the clock.</summary>
public class SqsClockTests
{
    static async Task<(LocalCloudServer Server, ManualClock Clock, SqsClient Sqs)> Start()
    {
        var clock = new ManualClock();
        var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { Clock = clock, Delays = LifecycleDelays.Instant });
        var connection = new AwsConnection { Credentials = new BasicAWSCredentials("test", "test"), Region = "us-east-1", EndpointUrl = server.Url, MaxAttempts = 1 };
        return (server, clock, new SqsClient(connection));
    }

    static async Task<List<Message>> Receive(SqsClient sqs, string url, int? visibility = null) =>
        (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, VisibilityTimeout = visibility })).Messages ?? [];

    [Fact]
    public async Task A_message_received_with_a_30_second_visibility_timeout_is_invisible_until_the_clock_passes_30_seconds()
    {
        var (server, clock, sqs) = await Start();
        await using var _ = server;
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "work" })).QueueUrl!;
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "job" });

        Assert.Single(await Receive(sqs, url, visibility: 30));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await Receive(sqs, url));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("job", Assert.Single(await Receive(sqs, url)).Body);
    }

    [Fact]
    public async Task Delays_and_the_deduplication_window_follow_the_clock()
    {
        var (server, clock, sqs) = await Start();
        await using var _ = server;
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "later" })).QueueUrl!;
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "delayed", DelaySeconds = 600 });
        Assert.Empty(await Receive(sqs, url));
        clock.Advance(TimeSpan.FromSeconds(601));
        Assert.Single(await Receive(sqs, url));

        var fifo = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "once.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl!;
        var send = new SendMessageRequest { QueueUrl = fifo, MessageBody = "x", MessageGroupId = "g", MessageDeduplicationId = "d" };
        var first = (await sqs.SendMessageAsync(send)).MessageId;
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(first, (await sqs.SendMessageAsync(send)).MessageId);
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.NotEqual(first, (await sqs.SendMessageAsync(send)).MessageId);
    }

    [Fact]
    public async Task A_long_poll_ends_when_the_clock_passes_its_wait_time_and_wakes_at_once_on_a_send()
    {
        var (server, clock, sqs) = await Start();
        await using var _ = server;
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "poll" })).QueueUrl!;

        var empty = sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 20 });
        await Task.Delay(300);
        Assert.False(empty.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(21));
        Assert.Empty((await empty.WaitAsync(TimeSpan.FromSeconds(5))).Messages ?? []);

        var woken = sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 20 });
        await Task.Delay(300);
        Assert.False(woken.IsCompleted);
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "now" });
        Assert.Equal("now", (await woken.WaitAsync(TimeSpan.FromSeconds(5))).Messages!.Single().Body);
    }

    [Fact]
    public async Task ChangeMessageVisibility_sets_the_timeout_from_now()
    {
        var (server, clock, sqs) = await Start();
        await using var _ = server;
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "change" })).QueueUrl!;
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "job" });

        var m = Assert.Single(await Receive(sqs, url, visibility: 30));
        await sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest { QueueUrl = url, ReceiptHandle = m.ReceiptHandle, VisibilityTimeout = 0 });
        m = Assert.Single(await Receive(sqs, url, visibility: 30));   // back at once

        clock.Advance(TimeSpan.FromSeconds(20));
        await sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest { QueueUrl = url, ReceiptHandle = m.ReceiptHandle, VisibilityTimeout = 100 });
        clock.Advance(TimeSpan.FromSeconds(99));   // well past the first 30 s, not past the new 100 s
        Assert.Empty(await Receive(sqs, url));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Single(await Receive(sqs, url));
    }

    [Fact]
    public async Task ChangeMessageVisibility_rejects_unknown_handles_messages_not_in_flight_and_more_than_12_hours()
    {
        var (server, clock, sqs) = await Start();
        await using var _ = server;
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "errors" })).QueueUrl!;
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "job" });
        var m = Assert.Single(await Receive(sqs, url, visibility: 30));
        Task Change(string? handle, int seconds) =>
            sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest { QueueUrl = url, ReceiptHandle = handle, VisibilityTimeout = seconds });

        await AwsAssert.ErrorCode("ReceiptHandleIsInvalid", () => Change("not-a-handle", 10));
        var e = await AwsAssert.ErrorCode("InvalidParameterValue", () => Change(m.ReceiptHandle, 43201));
        Assert.Contains("43200", e.Message);
        // 12 hours in all since it was received: 11 h 59 min 30 s from now is beyond, after 30 s have passed.
        clock.Advance(TimeSpan.FromSeconds(29));
        await AwsAssert.ErrorCode("InvalidParameterValue", () => Change(m.ReceiptHandle, 43200 - 10));
        await Change(m.ReceiptHandle, 43200 - 29);

        clock.Advance(TimeSpan.FromSeconds(43200));   // visible again: no longer in flight
        await AwsAssert.ErrorCode("AWS.SimpleQueueService.MessageNotInflight", () => Change(m.ReceiptHandle, 10));
    }

    /// <summary>
    /// Retention: each message goes when the clock passes its send time plus the period, however many looks came before
    /// (a look remembers when the next one is due); a shorter period takes effect at once; a message moved to the
    /// dead-letter queue keeps its send time there, so it expires by it, before messages the dead-letter queue held.
    /// </summary>
    [Fact]
    public async Task Messages_expire_at_their_send_time_plus_the_retention_period_also_after_a_move_to_the_dead_letter_queue()
    {
        var (server, clock, sqs) = await Start();
        await using var _ = server;
        async Task<int> Depth(string url) => int.Parse((await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
            { QueueUrl = url, AttributeNames = ["ApproximateNumberOfMessages"] })).Attributes!["ApproximateNumberOfMessages"]);

        var dlq = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "dead", Attributes = new() { ["MessageRetentionPeriod"] = "3600" } })).QueueUrl!;
        var dlqArn = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = dlq, AttributeNames = ["QueueArn"] })).Attributes!["QueueArn"];
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "kept", Attributes = new()
        {
            ["MessageRetentionPeriod"] = "3600",
            ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":"1"}""",
        } })).QueueUrl!;

        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "first" });     // t = 0
        Assert.Single(await Receive(sqs, url, visibility: 1));
        clock.Advance(TimeSpan.FromMinutes(10));
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = dlq, MessageBody = "dead-letter" }); // t = 10 min, in the DLQ
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "second" });    // t = 10 min
        Assert.Equal(1, await Depth(dlq));  // the dead-letter queue has looked: its next expiry is at 70 min

        // "first" was received once: the next receive moves it to the dead-letter queue with its send time (t = 0).
        Assert.Equal("second", Assert.Single(await Receive(sqs, url, visibility: 3600)).Body);
        Assert.Equal(2, await Depth(dlq));
        clock.Advance(TimeSpan.FromMinutes(50) + TimeSpan.FromSeconds(1));                               // t = 60 min + 1 s
        Assert.Equal("dead-letter", Assert.Single(await Receive(sqs, dlq)).Body);

        // A shorter retention applies to the messages already queued.
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "third" });     // t = 60 min
        Assert.Equal(1, await Depth(url));
        await sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest { QueueUrl = url, Attributes = new() { ["MessageRetentionPeriod"] = "60" } });
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, await Depth(url));
    }
}
