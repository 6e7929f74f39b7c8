using Ops.Aws.Ecs;
using Ops.Aws.Waiters;

namespace Ops.LocalCloud.Tests;

/// <summary>ECS services that actually run tasks: placement, deployments within min/max percent, protection, waiters.</summary>
[Collection(LocalCloudCollection.Name)]
public class EcsTests(LocalCloudFixture cloud)
{
    readonly EcsClient _ecs = new(cloud.Connection);
    static readonly WaiterOptions Fast = new() { MinDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100),
        MaxWait = TimeSpan.FromSeconds(10) };

    async Task<string> ClusterWithInstances(int instances)
    {
        var cluster = LocalCloudFixture.Unique("iotile");
        await _ecs.CreateClusterAsync(new CreateClusterRequest { ClusterName = cluster });
        for (var n = 0; n < instances; n++)
            await _ecs.RegisterContainerInstanceAsync(new RegisterContainerInstanceRequest { Cluster = cluster, InstanceIdentityDocument = $$"""{"instanceId":"i-{{n:D17}}"}""" });
        return cluster;
    }

    async Task<string> Revision(string family, string image) =>
        (await _ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest
        {
            Family = family,
            ContainerDefinitions = [new ContainerDefinition { Name = "worker", Image = image, Memory = 512 }],
        })).TaskDefinition!.TaskDefinitionArn!;

    [Fact]
    public async Task A_service_runs_its_desired_tasks_and_reaches_a_steady_state()
    {
        var cluster = await ClusterWithInstances(2);
        var td = await Revision(LocalCloudFixture.Unique("worker"), "worker:1");
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "worker", TaskDefinition = td, DesiredCount = 3 });
        await cloud.Aws("ecs", "wait", "services-stable", "--cluster", cluster, "--services", "worker");
        var service = (await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] })).Services!.Single();
        Assert.Equal((3, 3, 0), (service.DesiredCount, service.RunningCount, service.PendingCount));
        Assert.Equal("COMPLETED", service.Deployments!.Single().RolloutState);
        Assert.Contains(service.Events!, e => e.Message!.Contains("has reached a steady state"));
        var tasks = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = cluster, ServiceName = "worker" }).ToListAsync();
        Assert.Equal(3, tasks.Count);
        var described = await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = tasks });
        Assert.All(described.Tasks!, t => Assert.Equal("RUNNING", t.LastStatus));
        Assert.Equal(2, described.Tasks!.Select(t => t.ContainerInstanceArn).Distinct().Count());   // spread over both instances

        await _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = cluster, Service = "worker", DesiredCount = 1 });
        var scaledIn = await _ecs.WaitUntilServicesStableAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] }, Fast);
        Assert.Equal(1, scaledIn.Services![0].RunningCount);
    }

    [Fact]
    public async Task Service_tasks_are_started_by_their_deployment_id()
    {
        var cluster = await ClusterWithInstances(1);
        var td = await Revision(LocalCloudFixture.Unique("worker"), "worker:1");
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "worker", TaskDefinition = td, DesiredCount = 1 });
        var deployment = (await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster,
            Services = ["worker"] })).Services!.Single().Deployments!.Single().Id!;
        Assert.StartsWith("ecs-svc/", deployment);

        var tasks = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = cluster, StartedBy = deployment }).ToListAsync();
        var task = (await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = tasks })).Tasks!.Single();
        Assert.Equal(deployment, task.StartedBy);
    }

    [Fact]
    public async Task Without_container_instances_tasks_cannot_be_placed_and_the_service_says_so()
    {
        var cluster = await ClusterWithInstances(0);
        var td = await Revision(LocalCloudFixture.Unique("worker"), "worker:1");
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "worker", TaskDefinition = td, DesiredCount = 1 });
        var service = (await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] })).Services!.Single();
        Assert.Equal(0, service.RunningCount);
        Assert.Contains(service.Events!, e => e.Message!.Contains("unable to place a task"));
        await Assert.ThrowsAsync<WaiterTimeoutException>(() => _ecs.WaitUntilServicesStableAsync(
            new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] }, Fast with { MaxWait = TimeSpan.FromMilliseconds(300) }));
    }

    [Fact]
    public async Task A_deployment_replaces_old_tasks_keeping_minimum_healthy_and_old_tasks_stop_with_a_reason()
    {
        var cluster = await ClusterWithInstances(2);
        var family = LocalCloudFixture.Unique("worker");
        var v1 = await Revision(family, "worker:1");
        var v2 = await Revision(family, "worker:2");
        await _ecs.CreateServiceAsync(new CreateServiceRequest
        {
            Cluster = cluster,
            ServiceName = "worker",
            TaskDefinition = v1,
            DesiredCount = 2,
            DeploymentConfiguration = new DeploymentConfiguration { MinimumHealthyPercent = 100, MaximumPercent = 200 },
        });
        await _ecs.WaitUntilServicesStableAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] }, Fast);
        var oldTasks = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = cluster, ServiceName = "worker" }).ToListAsync();

        var updated = (await _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = cluster, Service = "worker", TaskDefinition = v2 })).Service!;
        Assert.Equal(v2, updated.TaskDefinition);
        var stable = (await _ecs.WaitUntilServicesStableAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] }, Fast)).Services!.Single();
        var deployment = stable.Deployments!.Single();
        Assert.Equal(("PRIMARY", v2, "COMPLETED"), (deployment.Status, deployment.TaskDefinition, deployment.RolloutState));

        var stopped = (await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = oldTasks })).Tasks!;
        Assert.All(stopped, t =>
        {
            Assert.Equal("STOPPED", t.LastStatus);
            Assert.Contains("stopped by deployment", t.StoppedReason);
            Assert.Equal("ServiceSchedulerInitiated", t.StopCode);
        });
        await cloud.Aws("ecs", "wait", "tasks-stopped", "--cluster", cluster, "--tasks", oldTasks[0], oldTasks[1]);
    }

    [Fact]
    public async Task A_scale_in_protected_task_is_not_stopped_until_its_protection_is_cleared()
    {
        var cluster = await ClusterWithInstances(1);
        var family = LocalCloudFixture.Unique("worker");
        var v1 = await Revision(family, "worker:1");
        var v2 = await Revision(family, "worker:2");
        await _ecs.CreateServiceAsync(new CreateServiceRequest
        {
            Cluster = cluster,
            ServiceName = "worker",
            TaskDefinition = v1,
            DesiredCount = 1,
            DeploymentConfiguration = new DeploymentConfiguration { MinimumHealthyPercent = 0, MaximumPercent = 200 },
        });
        var task = (await _ecs.ListTasksAsync(new ListTasksRequest { Cluster = cluster, ServiceName = "worker" })).TaskArns!.Single();
        var protection = await _ecs.UpdateTaskProtectionAsync(new UpdateTaskProtectionRequest { Cluster = cluster, Tasks = [task], ProtectionEnabled = true,
            ExpiresInMinutes = 10 });
        Assert.True(protection.ProtectedTasks!.Single().ProtectionEnabled);

        await _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = cluster, Service = "worker", TaskDefinition = v2 });
        var during = (await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] })).Services!.Single();
        Assert.Equal(2, during.Deployments!.Count);                          // PRIMARY and the ACTIVE one holding the protected task
        Assert.Equal("IN_PROGRESS", during.Deployments[0].RolloutState);
        Assert.Equal("RUNNING", (await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [task] })).Tasks![0].LastStatus);
        Assert.True((await _ecs.GetTaskProtectionAsync(new GetTaskProtectionRequest { Cluster = cluster,
            Tasks = [task] })).ProtectedTasks!.Single().ProtectionEnabled);

        await _ecs.UpdateTaskProtectionAsync(new UpdateTaskProtectionRequest { Cluster = cluster, Tasks = [task], ProtectionEnabled = false });
        await _ecs.WaitUntilServicesStableAsync(new DescribeServicesRequest { Cluster = cluster, Services = ["worker"] }, Fast);
        await _ecs.WaitUntilTasksStoppedAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [task] }, Fast);
    }

    [Fact]
    public async Task Run_task_lists_and_stops_and_unknown_things_fail_with_the_ecs_codes()
    {
        var cluster = await ClusterWithInstances(1);
        var family = LocalCloudFixture.Unique("oneoff");
        await Revision(family, "migrate:1");
        var run = await _ecs.RunTaskAsync(new RunTaskRequest { Cluster = cluster, TaskDefinition = family, StartedBy = "ops" });
        var arn = run.Tasks!.Single().TaskArn!;
        await _ecs.WaitUntilTasksRunningAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = [arn] }, Fast);
        Assert.Contains(arn, (await _ecs.ListTasksAsync(new ListTasksRequest { Cluster = cluster, StartedBy = "ops" })).TaskArns!);
        await _ecs.StopTaskAsync(new StopTaskRequest { Cluster = cluster, Task = arn, Reason = "done" });
        Assert.Contains(arn, (await _ecs.ListTasksAsync(new ListTasksRequest { Cluster = cluster, DesiredStatus = "STOPPED" })).TaskArns!);
        Assert.Equal("MISSING", (await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = cluster, Tasks = ["nope"] })).Failures!.Single().Reason);
        await AwsAssert.ErrorCode("ClusterNotFoundException", () => _ecs.ListServicesAsync(new ListServicesRequest { Cluster = "no-such-cluster" }));
        await AwsAssert.ErrorCode("ServiceNotFoundException", () => _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = cluster, Service = "nope", DesiredCount = 1 }));
        var (code, _, error) = await cloud.Cli("ecs", "describe-clusters", "--clusters", cluster);
        Assert.Equal(0, code);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Scale_in_stops_unprotected_tasks_and_keeps_a_protected_one()
    {
        var cluster = await ClusterWithInstances(1);
        var td = await Revision(LocalCloudFixture.Unique("worker"), "worker:1");
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "worker", TaskDefinition = td, DesiredCount = 3 });
        var tasks = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = cluster, ServiceName = "worker" }).ToListAsync();
        var kept = tasks[^1];
        await _ecs.UpdateTaskProtectionAsync(new UpdateTaskProtectionRequest { Cluster = cluster, Tasks = [kept], ProtectionEnabled = true });

        await _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = cluster, Service = "worker", DesiredCount = 1 });
        var left = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = cluster, ServiceName = "worker" }).ToListAsync();
        Assert.Equal([kept], left);
        var stopped = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = cluster, ServiceName = "worker", DesiredStatus = "STOPPED" }).ToListAsync();
        Assert.Equal(tasks.Take(2).Order(), stopped.Order());
    }

    [Fact]
    public async Task Protection_and_run_task_counts_are_validated_as_ecs_does()
    {
        var cluster = await ClusterWithInstances(1);
        var family = LocalCloudFixture.Unique("worker");
        var td = await Revision(family, "worker:1");
        await _ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = "worker", TaskDefinition = td, DesiredCount = 1 });
        var task = (await _ecs.ListTasksAsync(new ListTasksRequest { Cluster = cluster, ServiceName = "worker" })).TaskArns!.Single();

        foreach (var minutes in new[] { "0", "2881" })
        {
            var (code, _, error) = await cloud.Cli("ecs", "update-task-protection", "--cluster", cluster, "--tasks", task, "--protection-enabled", "--expires-in-minutes", minutes);
            Assert.NotEqual(0, code);
            Assert.Contains("(InvalidParameterException)", error);
            Assert.Contains("between 1 and 2880", error);
        }
        Assert.False((await _ecs.GetTaskProtectionAsync(new GetTaskProtectionRequest { Cluster = cluster,
            Tasks = [task] })).ProtectedTasks!.Single().ProtectionEnabled);
        var longest = await _ecs.UpdateTaskProtectionAsync(new UpdateTaskProtectionRequest { Cluster = cluster, Tasks = [task], ProtectionEnabled = true,
            ExpiresInMinutes = 2880 });
        Assert.True(longest.ProtectedTasks!.Single().ProtectionEnabled);
        var cleared = await _ecs.UpdateTaskProtectionAsync(new UpdateTaskProtectionRequest { Cluster = cluster, Tasks = [task], ProtectionEnabled = false,
            ExpiresInMinutes = 0 });
        Assert.False(cleared.ProtectedTasks!.Single().ProtectionEnabled);   // expiresInMinutes only matters when enabling

        var eleven = Enumerable.Repeat(task, 11).ToList();
        await AwsAssert.ErrorCode("InvalidParameterException",
            () => _ecs.UpdateTaskProtectionAsync(new UpdateTaskProtectionRequest { Cluster = cluster, Tasks = eleven, ProtectionEnabled = true }));

        var standalone = (await _ecs.RunTaskAsync(new RunTaskRequest { Cluster = cluster, TaskDefinition = family })).Tasks!.Single().TaskArn!;
        var refused = await _ecs.UpdateTaskProtectionAsync(new UpdateTaskProtectionRequest { Cluster = cluster, Tasks = [standalone],
            ProtectionEnabled = true });
        Assert.Empty(refused.ProtectedTasks!);
        Assert.Equal((standalone, "TASK_NOT_VALID"), (refused.Failures!.Single().Arn, refused.Failures!.Single().Reason));

        foreach (var count in new[] { "0", "11" })
        {
            var (code, _, error) = await cloud.Cli("ecs", "run-task", "--cluster", cluster, "--task-definition", family, "--count", count);
            Assert.NotEqual(0, code);
            Assert.Contains("(InvalidParameterException)", error);
        }
        var ten = await _ecs.RunTaskAsync(new RunTaskRequest { Cluster = cluster, TaskDefinition = family, Count = 10 });
        Assert.Equal(10, ten.Tasks!.Count);
    }
}
