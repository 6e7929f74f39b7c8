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
        var image = (await new EcrClient(moto.Connection).PutImageAsync(new PutImageRequest { RepositoryName = "iotile-cloud-server", ImageTag = tag, ImageManifest = manifest })).Image!;

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
}
