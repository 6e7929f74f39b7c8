using Amazon.Runtime;
using Ops.Aws.Sqs;
using Ops.Aws.Ssm;
using Ops.Aws.Sts;
using Ops.LocalCloud.Diagnostics;

namespace Ops.LocalCloud.Tests;

[Collection(LocalCloudCollection.Name)]
public class CoreTests(LocalCloudFixture cloud)
{
    [Fact]
    public async Task A_wrong_secret_is_SignatureDoesNotMatch_and_an_unknown_key_is_rejected_both_403()
    {
        var wrongSecret = cloud.Connection with { Credentials = new BasicAWSCredentials("test", "not-the-secret"), MaxAttempts = 1 };
        await AwsAssert.ErrorCode("SignatureDoesNotMatch", () => new SqsClient(wrongSecret).ListQueuesAsync(), 403);
        await AwsAssert.ErrorCode("SignatureDoesNotMatch", () => new StsClient(wrongSecret).GetCallerIdentityAsync(), 403);
        var unknownKey = cloud.Connection with { Credentials = new BasicAWSCredentials("AKIAUNKNOWN", "x"), MaxAttempts = 1 };
        await AwsAssert.ErrorCode("UnrecognizedClientException", () => new SsmClient(unknownKey).DescribeParametersAsync(), 403);
    }

    [Fact]
    public async Task The_aws_cli_is_rejected_with_a_wrong_secret_too()
    {
        var info = new System.Diagnostics.ProcessStartInfo("aws", ["sts", "get-caller-identity", "--endpoint-url", cloud.Url.ToString()])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment["AWS_ACCESS_KEY_ID"] = "test";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "wrong";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var p = System.Diagnostics.Process.Start(info)!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("SignatureDoesNotMatch", error);
    }

    [Fact]
    public async Task Sts_and_ssm_work_through_our_clients_and_the_aws_cli()
    {
        Assert.Equal("123456789012", (await new StsClient(cloud.Connection).GetCallerIdentityAsync()).Account);
        Assert.Equal("123456789012", (string?)(await cloud.Aws("sts", "get-caller-identity"))!["Account"]);

        var ssm = new SsmClient(cloud.Connection);
        var root = "/" + LocalCloudFixture.Unique("iotilecloud");
        await ssm.PutParameterAsync(new PutParameterRequest { Name = $"{root}/dev/SecretKey", Value = "s3cr3t", Type = "SecureString" });
        await cloud.Aws("ssm", "put-parameter", "--name", $"{root}/dev/SentryDns", "--value", "sentry-dsn", "--type", "String");
        var byPath = await cloud.Aws("ssm", "get-parameters-by-path", "--path", $"{root}/dev", "--with-decryption");
        Assert.Equal(["s3cr3t", "sentry-dsn"], byPath!["Parameters"]!.AsArray().Select(p => (string)p!["Value"]!).Order());
        var (code, _, error) = await cloud.Cli("ssm", "get-parameter", "--name", $"{root}/nope");
        Assert.NotEqual(0, code);
        Assert.Contains("ParameterNotFound", error);
        await AwsAssert.ErrorCode("ParameterAlreadyExists", () => ssm.PutParameterAsync(new PutParameterRequest { Name = $"{root}/dev/SecretKey", Value = "x", Type = "SecureString" }));
    }

    [Fact]
    public async Task Sqs_works_through_the_aws_cli_with_its_md5_checks()
    {
        var name = LocalCloudFixture.Unique("cli");
        var url = (string)(await cloud.Aws("sqs", "create-queue", "--queue-name", name))!["QueueUrl"]!;
        await cloud.Aws("sqs", "send-message", "--queue-url", url, "--message-body", "{\"module\":\"apps.sqsworker.worker\"}",
            "--message-attributes", "{\"stage\":{\"DataType\":\"String\",\"StringValue\":\"dev\"},\"n\":{\"DataType\":\"Number\",\"StringValue\":\"7\"}}");
        var received = await cloud.Aws("sqs", "receive-message", "--queue-url", url, "--message-attribute-names", "All", "--wait-time-seconds", "1");
        var message = received!["Messages"]![0]!;
        Assert.Equal("dev", (string?)message["MessageAttributes"]!["stage"]!["StringValue"]);
        await cloud.Aws("sqs", "delete-message", "--queue-url", url, "--receipt-handle", (string)message["ReceiptHandle"]!);
        var (code, _, error) = await cloud.Cli("sqs", "get-queue-url", "--queue-name", "no-such-queue");
        Assert.NotEqual(0, code);
        Assert.Contains("NonExistentQueue", error);
        await cloud.Aws("sqs", "delete-queue", "--queue-url", url);
    }

    [Fact]
    public async Task The_request_log_counts_calls_and_faults_are_injected_per_operation()
    {
        var sqs = new SqsClient(cloud.Connection);
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = LocalCloudFixture.Unique("faults") })).QueueUrl!;
        var before = cloud.Server.Requests.Count("sqs", "GetQueueAttributes");
        cloud.Server.Faults.Add(new FaultRule { Service = "sqs", Operation = "GetQueueAttributes", Throttle = true, Times = 2 });
        await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] });
        var log = cloud.Server.Requests.Entries.Where(e => e.Operation == "GetQueueAttributes").ToList();
        Assert.Equal(before + 3, log.Count);                  // two throttled, then served
        Assert.Equal(2, log.TakeLast(3).Count(e => e.ErrorCode == "RequestThrottled"));
        Assert.Contains("GetQueueAttributes", cloud.Server.Requests.Report());
    }
}

public class PersistenceTests
{
    [Fact]
    public async Task A_second_server_on_the_same_state_directory_sees_the_first_ones_resources()
    {
        var dir = Directory.CreateTempSubdirectory("ops-localcloud-state-").FullName;
        var options = TestClouds.Options(dir);
        string url;
        await using (var first = await LocalCloudServer.StartAsync(options))
        {
            var c = TestClouds.Connection(first.Url);
            url = (await new SqsClient(c).CreateQueueAsync(new CreateQueueRequest { QueueName = "iotile-worker-dev" })).QueueUrl!;
            await new SqsClient(c).SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "survives" });
            await new SsmClient(c).PutParameterAsync(new PutParameterRequest { Name = "/p", Value = "v", Type = "String" });
        }
        await using (var second = await LocalCloudServer.StartAsync(options))
        {
            var c = TestClouds.Connection(second.Url);
            var sqs = new SqsClient(c);
            var again = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = "iotile-worker-dev" })).QueueUrl!;
            Assert.Equal("survives", (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = again })).Messages!.Single().Body);
            Assert.Equal("v", (await new SsmClient(c).GetParameterAsync(new GetParameterRequest { Name = "/p" })).Parameter!.Value);
        }
        Directory.Delete(dir, true);
    }
}
