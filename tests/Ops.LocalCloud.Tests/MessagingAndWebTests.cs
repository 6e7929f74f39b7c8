using Ops.Aws.ElasticBeanstalk;
using Ops.Aws.Sns;
using Ops.Aws.Sqs;
using Ops.Aws.Waiters;

namespace Ops.LocalCloud.Tests;

[Collection(LocalCloudCollection.Name)]
public class MessagingAndWebTests(LocalCloudFixture cloud)
{
    static readonly WaiterOptions Fast = new() { MinDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100),
        MaxWait = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Sns_fans_out_to_sqs_in_the_envelope_or_raw()
    {
        var sns = new SnsClient(cloud.Connection);
        var sqs = new SqsClient(cloud.Connection);
        var topic = (await sns.CreateTopicAsync(new CreateTopicInput { Name = LocalCloudFixture.Unique("StaffNotifications") })).TopicArn!;
        var wrapped = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = LocalCloudFixture.Unique("wrapped") })).QueueUrl!;
        var raw = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = LocalCloudFixture.Unique("raw") })).QueueUrl!;
        async Task<string> Arn(string url)
            => (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] })).Attributes!["QueueArn"];
        await sns.SubscribeAsync(new SubscribeInput { TopicArn = topic, Protocol = "sqs", Endpoint = await Arn(wrapped) });
        var rawSub = (await sns.SubscribeAsync(new SubscribeInput { TopicArn = topic, Protocol = "sqs", Endpoint = await Arn(raw),
            ReturnSubscriptionArn = true })).SubscriptionArn!;
        await cloud.Aws("sns", "set-subscription-attributes", "--subscription-arn", rawSub, "--attribute-name", "RawMessageDelivery", "--attribute-value", "true");

        await cloud.Aws("sns", "publish", "--topic-arn", topic, "--message", "deploy finished", "--subject", "ops");
        var envelope = System.Text.Json.Nodes.JsonNode.Parse((await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = wrapped,
            WaitTimeSeconds = 2 })).Messages!.Single().Body!)!;
        Assert.Equal(("Notification", "deploy finished", "ops", topic), ((string?)envelope["Type"], (string?)envelope["Message"], (string?)envelope["Subject"], (string?)envelope["TopicArn"]));
        Assert.Equal("deploy finished", (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = raw, WaitTimeSeconds = 2 })).Messages!.Single().Body);
        Assert.Equal(2, (await sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicInput { TopicArn = topic })).Subscriptions!.Count);
        await sns.DeleteTopicAsync(new DeleteTopicInput { TopicArn = topic });
        await AwsAssert.ErrorCode("NotFound", () => sns.GetTopicAttributesAsync(new GetTopicAttributesInput { TopicArn = topic }), 404);
    }

    [Fact]
    public async Task Beanstalk_launches_deploys_and_terminates_and_a_failed_deploy_is_Ready_but_Red_with_an_error_event()
    {
        var eb = new ElasticBeanstalkClient(cloud.Connection);
        var app = LocalCloudFixture.Unique("iotile-cloud");
        await eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = app });
        var bucket = (await eb.CreateStorageLocationAsync()).S3Bucket;
        Assert.Equal("elasticbeanstalk-us-east-1-123456789012", bucket);
        await eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage { ApplicationName = app, VersionLabel = "v1",
            SourceBundle = new S3Location { S3Bucket = bucket, S3Key = "v1.zip" }, Process = true });
        await eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage { ApplicationName = app, VersionLabel = "v2",
            SourceBundle = new S3Location { S3Bucket = bucket, S3Key = "v2-fail-deploy.zip" } });
        var versions = (await eb.DescribeApplicationVersionsAsync(new DescribeApplicationVersionsMessage { ApplicationName = app })).ApplicationVersions!;
        Assert.Equal(2, versions.Count);

        await eb.CreateEnvironmentAsync(new CreateEnvironmentMessage { ApplicationName = app, EnvironmentName = app + "-dev", VersionLabel = "v1" });
        await cloud.Aws("elasticbeanstalk", "wait", "environment-exists", "--application-name", app, "--environment-names", app + "-dev");
        var since = DateTimeOffset.UtcNow;
        await eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage { EnvironmentName = app + "-dev", VersionLabel = "v2" });
        var updated = (await eb.WaitUntilEnvironmentUpdatedAsync(new DescribeEnvironmentsMessage { ApplicationName = app, EnvironmentNames = [app + "-dev"] },
            Fast)).Environments!.Single();
        Assert.Equal(("Ready", "Red", "v2"), (updated.Status, updated.Health, updated.VersionLabel));
        var errors = await eb.DescribeEventsAsync(new DescribeEventsMessage { EnvironmentName = app + "-dev", Severity = "ERROR", StartTime = since.AddSeconds(-1) });
        Assert.Contains(errors.Events!, e => e.Message == "Failed to deploy application.");
        Assert.Equal("Severe",
            (await eb.DescribeEnvironmentHealthAsync(new DescribeEnvironmentHealthRequest { EnvironmentName = app + "-dev", AttributeNames = ["All"] })).HealthStatus);

        await eb.TerminateEnvironmentAsync(new TerminateEnvironmentMessage { EnvironmentName = app + "-dev" });
        await eb.WaitUntilEnvironmentTerminatedAsync(new DescribeEnvironmentsMessage { ApplicationName = app, EnvironmentNames = [app + "-dev"] }, Fast);
        await eb.DeleteApplicationVersionAsync(new DeleteApplicationVersionMessage { ApplicationName = app, VersionLabel = "v1" });
        await eb.DeleteApplicationAsync(new DeleteApplicationMessage { ApplicationName = app });
        await AwsAssert.ErrorCode("InvalidParameterValue", () => eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage { ApplicationName = app, VersionLabel = "v3" }));
    }
}
