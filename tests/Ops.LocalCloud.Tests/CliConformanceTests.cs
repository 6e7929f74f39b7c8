namespace Ops.LocalCloud.Tests;

/// <summary>The aws CLI (botocore, written by others) driving the services the other suites drive through our own clients.</summary>
[Collection(LocalCloudCollection.Name)]
public class CliConformanceTests(LocalCloudFixture cloud)
{
    async Task Fails(string code, params string[] args)
    {
        var (exit, _, error) = await cloud.Cli(args);
        Assert.NotEqual(0, exit);
        Assert.Contains(code, error);
    }

    [Fact]
    public async Task Ec2_instances_groups_tags_and_the_running_waiter()
    {
        var ami = (string)(await cloud.Aws("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-ecs-*"))!["Images"]![0]!["ImageId"]!;
        var group = (string)(await cloud.Aws("ec2", "create-security-group", "--group-name", LocalCloudFixture.Unique("data"), "--description", "databases"))!["GroupId"]!;
        await cloud.Aws("ec2", "authorize-security-group-ingress", "--group-id", group, "--protocol", "tcp", "--port", "5432", "--cidr", "172.31.0.0/16");
        var run = await cloud.Aws("ec2", "run-instances", "--image-id", ami, "--count", "2", "--instance-type", "t3.medium", "--security-group-ids", group,
            "--tag-specifications", "ResourceType=instance,Tags=[{Key=Stage,Value=dev}]");
        var ids = run!["Instances"]!.AsArray().Select(i => (string)i!["InstanceId"]!).ToArray();
        await cloud.Aws(["ec2", "wait", "instance-running", "--instance-ids", .. ids]);
        var tagged = await cloud.Aws("ec2", "describe-instances", "--filters", "Name=tag:Stage,Values=dev", "Name=instance-state-name,Values=running");
        Assert.True(tagged!["Reservations"]!.AsArray().SelectMany(r => r!["Instances"]!.AsArray()).Count(i => ids.Contains((string)i!["InstanceId"]!)) == 2);
        await Fails("DependencyViolation", "ec2", "delete-security-group", "--group-id", group);
        await cloud.Aws(["ec2", "terminate-instances", "--instance-ids", .. ids]);
        await cloud.Aws(["ec2", "wait", "instance-terminated", "--instance-ids", .. ids]);
        await cloud.Aws("ec2", "delete-security-group", "--group-id", group);
        await Fails("InvalidGroup.NotFound", "ec2", "describe-security-groups", "--group-ids", group);
    }

    [Fact]
    public async Task Ecr_logs_firehose_cloudfront_and_dynamodb_through_the_cli()
    {
        var repo = LocalCloudFixture.Unique("iotile-cloud-server");
        var created = await cloud.Aws("ecr", "create-repository", "--repository-name", repo);
        Assert.EndsWith($".dkr.ecr.us-east-1.amazonaws.com/{repo}", (string)created!["repository"]!["repositoryUri"]!);
        Assert.StartsWith("https://", (string)(await cloud.Aws("ecr", "get-authorization-token"))!["authorizationData"]![0]!["proxyEndpoint"]!);
        await Fails("RepositoryNotFoundException", "ecr", "describe-repositories", "--repository-names", "nope");

        var group = "/ecs/" + LocalCloudFixture.Unique("worker");
        await cloud.Aws("logs", "create-log-group", "--log-group-name", group);
        await cloud.Aws("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "task-1");
        await cloud.Aws("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "task-1",
            "--log-events", $"timestamp={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()},message=ShutDown-0");
        var events = await cloud.Aws("logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "ShutDown");
        Assert.Equal("ShutDown-0", (string?)events!["events"]![0]!["message"]);

        var stream = LocalCloudFixture.Unique("iotile-stream");
        await cloud.Aws("firehose", "create-delivery-stream", "--delivery-stream-name", stream,
            "--s3-destination-configuration", "RoleARN=arn:aws:iam::123456789012:role/f,BucketARN=arn:aws:s3:::b");
        Assert.Equal("ACTIVE", (string?)(await cloud.Aws("firehose", "describe-delivery-stream", "--delivery-stream-name", stream))!["DeliveryStreamDescription"]!["DeliveryStreamStatus"]);
        await cloud.Aws("firehose", "put-record", "--delivery-stream-name", stream, "--record", "Data=eyJ2IjoxfQ==");

        var invalidation = await cloud.Aws("cloudfront", "create-invalidation", "--distribution-id", "E2STATICS0001", "--paths", "/", "/static/*");
        var id = (string)invalidation!["Invalidation"]!["Id"]!;
        await cloud.Aws("cloudfront", "wait", "invalidation-completed", "--distribution-id", "E2STATICS0001", "--id", id);

        var table = LocalCloudFixture.Unique("iotile-devices");
        await cloud.Aws("dynamodb", "create-table", "--table-name", table, "--billing-mode", "PAY_PER_REQUEST",
            "--attribute-definitions", "AttributeName=slug,AttributeType=S", "--key-schema", "AttributeName=slug,KeyType=HASH");
        await cloud.Aws("dynamodb", "wait", "table-exists", "--table-name", table);
        await cloud.Aws("dynamodb", "put-item", "--table-name", table, "--item", """{"slug":{"S":"d--0001"},"sg":{"S":"water-meter"}}""");
        var item = await cloud.Aws("dynamodb", "get-item", "--table-name", table, "--key", """{"slug":{"S":"d--0001"}}""");
        Assert.Equal("water-meter", (string?)item!["Item"]!["sg"]!["S"]);
        await Fails("ConditionalCheckFailedException", "dynamodb", "put-item", "--table-name", table, "--item", """{"slug":{"S":"d--0001"}}""",
            "--condition-expression", "attribute_not_exists(slug)");
    }
}
