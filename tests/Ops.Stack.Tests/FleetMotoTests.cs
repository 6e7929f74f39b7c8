using Ops.Aws.Ecr;
using Ops.Docker;
using Ops.Stack.Core;
using Ops.Stack.Fleet;

namespace Ops.Stack.Tests;

/// <summary>create-queues, create-ecr-repository and create-ecs against moto, checked with the aws CLI.</summary>
[Collection(MotoCloudCollection.Name)]
public sealed class FleetMotoTests(MotoCloud moto)
{
    [Fact]
    public async Task Queues_repository_and_ecs_are_created_on_moto_with_the_image_pinned_by_digest()
    {
        var stack = FleetCloud.Stack("m1");
        await new QueueProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        var url = (await AwsCli.Run(moto.Url, "sqs", "get-queue-url", "--queue-name", "iotile-worker-m1"))!["QueueUrl"]!.ToString();
        var attributes = (await AwsCli.Run(moto.Url, "sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All"))!["Attributes"]!;
        Assert.Equal("900", attributes["VisibilityTimeout"]!.ToString());
        Assert.Contains("iotile-worker-m1-dlq", attributes["RedrivePolicy"]!.ToString());

        await new RepositoryProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        var repo = (await AwsCli.Run(moto.Url, "ecr", "describe-repositories", "--repository-names", "iotile-cloud-server"))!["repositories"]![0]!;
        Assert.Equal("IMMUTABLE", repo["imageTagMutability"]!.ToString());

        // No image for the working tree's tag: on AWS that is an error naming build-docker.
        var missing = await Assert.ThrowsAsync<CloudStateException>(() => new EcsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Contains("run build-docker first", missing.Message);
        // A dry run goes on (so that up --dry-run lists everything on a new account), saying what a real run needs.
        var dryLog = new CapturedLog();
        await new EcsProvisioner(moto.Context(stack, dryLog) with { DryRun = true }).EnsureAsync(default);
        Assert.Contains("a real run needs build-docker first", dryLog.Text);
        Assert.Contains("would change task definition iotile-worker-m1", dryLog.Text);

        var tag = await ImageTag.ForWorkingTreeAsync(FleetCloud.RepositoryRoot, default);
        var manifest = """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}""";
        var image = (await new EcrClient(moto.Connection).PutImageAsync(new PutImageRequest { RepositoryName = "iotile-cloud-server", ImageTag = tag,
            ImageManifest = manifest })).Image!;

        var log = new CapturedLog();
        await new EcsProvisioner(moto.Context(stack, log)).EnsureAsync(default);
        var definition = (await AwsCli.Run(moto.Url, "ecs", "describe-task-definition", "--task-definition", "iotile-worker-m1"))!["taskDefinition"]!;
        Assert.Equal($"{repo["repositoryUri"]}@{image.ImageId!.ImageDigest}", definition["containerDefinitions"]![0]!["image"]!.ToString());
        var service = (await AwsCli.Run(moto.Url, "ecs", "describe-services", "--cluster", "iotile-m1", "--services", "iotile-worker-m1"))!["services"]![0]!;
        Assert.Equal("EC2", service["launchType"]!.ToString());
        Assert.Equal(1, (int)service["desiredCount"]!);

        // moto does not keep a service's deploymentConfiguration (a known moto gap): a second run registers no revision and
        // changes nothing but that; on LocalCloud the second run is fully "up to date" (FleetLocalCloudTests).
        var again = await new EcsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        Assert.All(again, c => Assert.Contains(c.Setting, new[] { "circuit breaker", "minimum healthy percent", "maximum percent" }));
        Assert.Single((await AwsCli.Run(moto.Url, "ecs", "list-task-definitions", "--family-prefix", "iotile-worker-m1"))!["taskDefinitionArns"]!.AsArray());
    }

    [Fact]
    public async Task A_fargate_stack_gets_awsvpc_tasks_in_the_default_subnets_with_the_workers_group_and_no_instances()
    {
        var m2 = FleetCloud.Stack("m2");
        var stack = m2 with { Ecs = m2.Ecs with { LaunchType = "FARGATE" }, Repository = m2.Repository with { Name = "iotile-cloud-server-m2" } };
        await new RepositoryProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        var tag = await ImageTag.ForWorkingTreeAsync(FleetCloud.RepositoryRoot, default);
        var manifest = """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}""";
        await new EcrClient(moto.Connection).PutImageAsync(new PutImageRequest { RepositoryName = "iotile-cloud-server-m2", ImageTag = tag, ImageManifest = manifest });

        var log = new CapturedLog();
        var changes = await new EcsProvisioner(moto.Context(stack, log)).EnsureAsync(default);
        Assert.Contains(changes, c => c.Resource == "security group iotile-ecs-m2");

        var definition = (await AwsCli.Run(moto.Url, "ecs", "describe-task-definition", "--task-definition", "iotile-worker-m2"))!["taskDefinition"]!;
        Assert.Equal("awsvpc", definition["networkMode"]!.ToString());
        Assert.Equal("FARGATE", definition["requiresCompatibilities"]![0]!.ToString());
        var service = (await AwsCli.Run(moto.Url, "ecs", "describe-services", "--cluster", "iotile-m2", "--services", "iotile-worker-m2"))!["services"]![0]!;
        Assert.Equal("FARGATE", service["launchType"]!.ToString());
        var network = service["networkConfiguration"]!["awsvpcConfiguration"]!;
        var defaults = (await AwsCli.Run(moto.Url, "ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true"))!["Subnets"]!.AsArray()
            .Select(n => n!["SubnetId"]!.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(defaults, network["subnets"]!.AsArray().Select(n => n!.ToString()));
        Assert.Equal("ENABLED", network["assignPublicIp"]!.ToString());
        var group = (await AwsCli.Run(moto.Url, "ec2", "describe-security-groups", "--filters", "Name=group-name,Values=iotile-ecs-m2"))!["SecurityGroups"]![0]!;
        Assert.Equal(group["GroupId"]!.ToString(), network["securityGroups"]![0]!.ToString());

        // Its capacity is Fargate's: create-ec2-instances launches nothing and says why.
        var instances = new CapturedLog();
        Assert.Empty(await new InstanceProvisioner(moto.Context(stack, instances)).EnsureAsync(default));
        Assert.Contains("none needed, the service's launch type is FARGATE", instances.Text);
        var tagged = (await AwsCli.Run(moto.Url, "ec2", "describe-instances", "--filters", "Name=tag:Name,Values=iotile-m2-ecs"))!["Reservations"]!.AsArray();
        Assert.Empty(tagged);

        // A second run registers no revision: the awsvpc network mode is what the stack wants.
        await new EcsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        Assert.Single((await AwsCli.Run(moto.Url, "ecs", "list-task-definitions", "--family-prefix", "iotile-worker-m2"))!["taskDefinitionArns"]!.AsArray());
    }
}
