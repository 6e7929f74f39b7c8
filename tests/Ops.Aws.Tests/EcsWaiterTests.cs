using Ops.Aws.Ecs;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>ECS waiters against moto: success, a failure acceptor, and a wait that can never succeed there.</summary>
public abstract class EcsWaiterTests(ITestCloud moto)
{
    readonly EcsClient _ecs = new(moto.Connection);

    async Task<(string Cluster, string Family)> Setup()
    {
        var cluster = MotoServer.Unique("wait");
        await _ecs.CreateClusterAsync(new CreateClusterRequest { ClusterName = cluster });
        var family = MotoServer.Unique("wfam");
        await _ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest
        {
            Family = family,
            ContainerDefinitions = [new ContainerDefinition { Name = "w", Image = "w:1", Memory = 128 }],
        });
        return (cluster, family);
    }

    [Fact]
    public async Task ServicesStable_succeeds_when_running_equals_desired_and_ServicesInactive_after_delete()
    {
        var (cluster, family) = await Setup();
        // moto never runs service tasks: with desiredCount 0, running == desired and there is one deployment.
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "svc", TaskDefinition = family, DesiredCount = 0 });
        var stable = await _ecs.WaitUntilServicesStableAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["svc"] }, MotoServer.FastWaits);
        Assert.Equal(0, stable.Services![0].RunningCount);

        await _ecs.DeleteServiceAsync(new DeleteServiceRequest { Cluster = cluster, Service = "svc", Force = true });
        await _ecs.WaitUntilServicesInactiveAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["svc"] }, MotoServer.FastWaits);
    }

    [Fact]
    public async Task ServicesStable_fails_at_once_for_a_missing_service()
    {
        var (cluster, _) = await Setup();
        var progress = new List<WaiterProgress>();
        var e = await Assert.ThrowsAsync<WaiterFailedException>(() => _ecs.WaitUntilServicesStableAsync(
            new DescribeServicesRequest { Cluster = cluster, Services = ["ghost"] }, MotoServer.FastWaits with { Progress = progress.Add }));
        Assert.Equal("failures[].reason = [\"MISSING\"]", e.LastState);
        Assert.Contains("Waiter ServicesStable failed", e.Message);
        Assert.Empty(progress);   // decided on the first attempt
    }

    [Fact]
    public async Task ServicesStable_times_out_while_moto_never_starts_the_tasks()
    {
        var (cluster, family) = await Setup();
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "svc", TaskDefinition = family, DesiredCount = 2 });
        var progress = new List<WaiterProgress>();
        var e = await Assert.ThrowsAsync<WaiterTimeoutException>(() => _ecs.WaitUntilServicesStableAsync(
            new DescribeServicesRequest { Cluster = cluster, Services = ["svc"] },
            MotoServer.FastWaits with { MaxWait = TimeSpan.FromMilliseconds(500), Progress = progress.Add }));
        Assert.StartsWith("length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0` = false", e.LastState);
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.True(p.NextDelay >= TimeSpan.FromMilliseconds(50) || p.Waited + p.NextDelay >= TimeSpan.FromMilliseconds(450)));
    }

    [Fact]
    public async Task TasksRunning_and_TasksStopped_follow_the_task()
    {
        var (cluster, family) = await Setup();
        var ec2 = new Ec2.Ec2Client(moto.Connection);
        var ami = (await ec2.DescribeImagesAsync(new Ec2.DescribeImagesRequest { Owners = ["amazon"] })).Images![0].ImageId;
        var instance = (await ec2.RunInstancesAsync(new Ec2.RunInstancesRequest { ImageId = ami, MinCount = 1, MaxCount = 1 })).Instances![0];
        await _ecs.RegisterContainerInstanceAsync(new RegisterContainerInstanceRequest
        {
            Cluster = cluster,
            InstanceIdentityDocument = $$"""{"instanceId":"{{instance.InstanceId}}","region":"us-east-1"}""",
        });
        await moto.PinStateProgression("ecs::task");   // otherwise moto walks a task to STOPPED a step per read
        var task = (await _ecs.RunTaskAsync(new RunTaskRequest { Cluster = cluster, TaskDefinition = family })).Tasks![0].TaskArn!;
        await _ecs.WaitUntilTasksRunningAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [task] }, MotoServer.FastWaits);
        await _ecs.StopTaskAsync(new StopTaskRequest { Cluster = cluster, Task = task });
        var stopped = await _ecs.WaitUntilTasksStoppedAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [task] }, MotoServer.FastWaits);
        Assert.Equal("STOPPED", stopped.Tasks![0].LastStatus);
        // Once stopped, TasksRunning fails at once instead of waiting forever.
        await Assert.ThrowsAsync<WaiterFailedException>(() => _ecs.WaitUntilTasksRunningAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [task] },
            MotoServer.FastWaits));
    }

    [Fact]
    public async Task A_wait_is_cancelled_through_its_token()
    {
        var (cluster, family) = await Setup();
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "svc", TaskDefinition = family, DesiredCount = 1 });
        using var cts = new CancellationTokenSource();
        var wait = _ecs.WaitUntilServicesStableAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["svc"] },
            MotoServer.FastWaits with { MaxWait = TimeSpan.FromMinutes(5), Progress = _ => cts.Cancel() }, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}

[Collection(MotoCollection.Name)]
public sealed class EcsWaiterTestsOnMoto(MotoServer cloud) : EcsWaiterTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class EcsWaiterTestsOnLocalCloud(LocalCloudTestServer cloud) : EcsWaiterTests(cloud);
