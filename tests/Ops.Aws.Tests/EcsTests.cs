using Ops.Aws.Ecs;

namespace Ops.Aws.Tests;

public abstract class EcsTests(ITestCloud moto)
{
    readonly EcsClient _ecs = new(moto.Connection);

    async Task<string> Cluster()
    {
        var name = MotoServer.Unique("cl");
        await _ecs.CreateClusterAsync(new CreateClusterRequest { ClusterName = name, Tags = [new Tag { Key = "Project", Value = "IOTileCloud" }] });
        return name;
    }

    static RegisterTaskDefinitionRequest Worker(string family) => new()
    {
        Family = family,
        ContainerDefinitions = [new ContainerDefinition { Name = "worker", Image = "iotile/worker:1", Memory = 512, Essential = true,
            Environment = [new EcsKeyValuePair { Name = "STAGE", Value = "dev" }] }],
    };

    [Fact]
    public async Task Clusters_round_trip()
    {
        var name = await Cluster();
        Assert.Contains(await _ecs.ListClustersItemsAsync(new ListClustersRequest()).ToListAsync(), a => a.EndsWith("/" + name));
        var described = await _ecs.DescribeClustersAsync(new DescribeClustersRequest { Clusters = [name], Include = ["TAGS"] });
        Assert.Equal("ACTIVE", described.Clusters![0].Status);
        await _ecs.PutClusterCapacityProvidersAsync(new PutClusterCapacityProvidersRequest { Cluster = name, CapacityProviders = [],
            DefaultCapacityProviderStrategy = [] });
        await _ecs.DeleteClusterAsync(new DeleteClusterRequest { Cluster = name });
        var gone = await _ecs.DescribeClustersAsync(new DescribeClustersRequest { Clusters = [name] });
        Assert.True(gone.Clusters!.Count == 0 || gone.Clusters[0].Status == "INACTIVE");
        await AwsAssert.ErrorCode("ClusterNotFoundException", () => _ecs.DeleteClusterAsync(new DeleteClusterRequest { Cluster = MotoServer.Unique("none") }));
    }

    [Fact]
    public async Task Task_definitions_services_and_tasks_round_trip()
    {
        var cluster = await Cluster();
        var family = MotoServer.Unique("fam");
        var td = await _ecs.RegisterTaskDefinitionAsync(Worker(family));
        Assert.Equal(1, td.TaskDefinition!.Revision);
        var td2 = await _ecs.RegisterTaskDefinitionAsync(Worker(family));
        Assert.Equal(2, td2.TaskDefinition!.Revision);
        Assert.Equal("STAGE",
            (await _ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = $"{family}:1" }))
                .TaskDefinition!.ContainerDefinitions![0].Environment![0].Name);
        Assert.Equal(2, (await _ecs.ListTaskDefinitionsItemsAsync(new ListTaskDefinitionsRequest { FamilyPrefix = family }).ToListAsync()).Count);
        Assert.Contains(family, (await _ecs.ListTaskDefinitionFamiliesAsync(new ListTaskDefinitionFamiliesRequest { FamilyPrefix = family })).Families!);

        // A container instance on a real (emulated) EC2 instance, as the ECS agent would register it.
        var ec2 = new Ops.Aws.Ec2.Ec2Client(moto.Connection);
        var ami = (await ec2.DescribeImagesAsync(new Ops.Aws.Ec2.DescribeImagesRequest { Owners = ["amazon"] })).Images![0].ImageId;
        var instance = (await ec2.RunInstancesAsync(new Ops.Aws.Ec2.RunInstancesRequest { ImageId = ami, MinCount = 1, MaxCount = 1,
            InstanceType = "t3.small" })).Instances![0];
        await _ecs.RegisterContainerInstanceAsync(new RegisterContainerInstanceRequest
        {
            Cluster = cluster,
            InstanceIdentityDocument = $$"""{"instanceId":"{{instance.InstanceId}}","region":"us-east-1"}""",
        });
        var cis = await _ecs.ListContainerInstancesAsync(new ListContainerInstancesRequest { Cluster = cluster });
        Assert.Single(cis.ContainerInstanceArns!);
        var described = await _ecs.DescribeContainerInstancesAsync(new DescribeContainerInstancesRequest { Cluster = cluster,
            ContainerInstances = cis.ContainerInstanceArns });
        Assert.Equal("ACTIVE", described.ContainerInstances![0].Status);
        await _ecs.UpdateContainerInstancesStateAsync(new UpdateContainerInstancesStateRequest { Cluster = cluster,
            ContainerInstances = cis.ContainerInstanceArns, Status = "DRAINING" });
        await _ecs.UpdateContainerInstancesStateAsync(new UpdateContainerInstancesStateRequest { Cluster = cluster,
            ContainerInstances = cis.ContainerInstanceArns, Status = "ACTIVE" });

        var service = await _ecs.CreateServiceAsync(new CreateServiceRequest
        {
            Cluster = cluster,
            ServiceName = "worker",
            TaskDefinition = $"{family}:1",
            DesiredCount = 0,
            DeploymentConfiguration = new DeploymentConfiguration { MaximumPercent = 200, MinimumHealthyPercent = 50 },
        });
        Assert.Equal("ACTIVE", service.Service!.Status);
        var services = await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker", "ghost"] });
        Assert.EndsWith($"{family}:1", services.Services![0].TaskDefinition);
        Assert.Equal("MISSING", Assert.Single(services.Failures!).Reason);
        Assert.Contains(await _ecs.ListServicesItemsAsync(new ListServicesRequest { Cluster = cluster }).ToListAsync(), a => a.EndsWith("/worker"));
        var updated = await _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = cluster, Service = "worker", TaskDefinition = $"{family}:2",
            ForceNewDeployment = true });
        Assert.EndsWith($"{family}:2", updated.Service!.TaskDefinition);

        var run = await _ecs.RunTaskAsync(new RunTaskRequest { Cluster = cluster, TaskDefinition = $"{family}:2", Count = 1, StartedBy = "ops-test" });
        var taskArn = run.Tasks![0].TaskArn!;
        var started = await _ecs.StartTaskAsync(new StartTaskRequest { Cluster = cluster, TaskDefinition = $"{family}:2",
            ContainerInstances = cis.ContainerInstanceArns });
        Assert.Single(started.Tasks!);
        var tasks = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = cluster }).ToListAsync();
        Assert.Contains(taskArn, tasks);
        var dt = await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [taskArn] });
        Assert.Equal("ops-test", dt.Tasks![0].StartedBy);
        await _ecs.StopTaskAsync(new StopTaskRequest { Cluster = cluster, Task = taskArn, Reason = "rollout" });

        await _ecs.TagResourceAsync(new TagResourceRequest { ResourceArn = service.Service.ServiceArn, Tags = [new Tag { Key = "Stage", Value = "dev" }] });
        Assert.Contains((await _ecs.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = service.Service.ServiceArn })).Tags!,
            t => t.Key == "Stage");
        await _ecs.UntagResourceAsync(new UntagResourceRequest { ResourceArn = service.Service.ServiceArn, TagKeys = ["Stage"] });

        await _ecs.DeleteServiceAsync(new DeleteServiceRequest { Cluster = cluster, Service = "worker", Force = true });
        await _ecs.DeregisterTaskDefinitionAsync(new DeregisterTaskDefinitionRequest { TaskDefinition = $"{family}:1" });
        await _ecs.DeleteTaskDefinitionsAsync(new DeleteTaskDefinitionsRequest { TaskDefinitions = [$"{family}:1"] });
        await _ecs.DeregisterContainerInstanceAsync(new DeregisterContainerInstanceRequest { Cluster = cluster,
            ContainerInstance = cis.ContainerInstanceArns![0], Force = true });
        await AwsAssert.ErrorCode("ServiceNotFoundException", () => _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = cluster, Service = "nope", DesiredCount = 1 }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class EcsTestsOnMoto(MotoServer cloud) : EcsTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class EcsTestsOnLocalCloud(LocalCloudTestServer cloud) : EcsTests(cloud);
