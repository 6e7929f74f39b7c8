using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Aws.ElasticBeanstalk;
using Ops.Aws.Sqs;
using Ops.LocalCloud.Diagnostics;

namespace Ops.LocalCloud.Tests;

/// <summary>Intermediate states, observed deterministically with a clock the test moves; and the other kinds of injected faults.</summary>
public class ClockDrivenTests
{
    static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    static async Task<(LocalCloudServer Server, ManualClock Clock, AwsConnection Connection)> Start(LifecycleDelays delays)
    {
        var clock = new ManualClock();
        var server = await LocalCloudServer.StartAsync(TestClouds.Options() with { Clock = clock, Delays = delays });
        return (server, clock, TestClouds.Connection(server.Url, 3));
    }

    [Fact]
    public async Task Ecs_tasks_go_provisioning_pending_running_then_deactivating_stopped()
    {
        var (server, clock, c) = await Start(LifecycleDelays.Instant with { Task = Step });
        await using var _ = server;
        var ecs = new EcsClient(c);
        await ecs.CreateClusterAsync(new CreateClusterRequest { ClusterName = "dev" });
        await ecs.RegisterContainerInstanceAsync(new RegisterContainerInstanceRequest { Cluster = "dev" });
        var td = (await ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest { Family = "w",
            ContainerDefinitions = [new ContainerDefinition { Name = "w", Image = "w:1", Memory = 128 }] })).TaskDefinition!.TaskDefinitionArn;
        await ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = "dev", ServiceName = "w", TaskDefinition = td, DesiredCount = 1 });
        var task = (await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "dev" })).TaskArns!.Single();
        async Task<(string? Last, string? Desired)> State()
        {
            var t = (await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = "dev", Tasks = [task] })).Tasks!.Single();
            return (t.LastStatus, t.DesiredStatus);
        }

        Assert.Equal(("PROVISIONING", "RUNNING"), await State());
        var service = (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "dev", Services = ["w"] })).Services!.Single();
        Assert.Equal((0, 1, "IN_PROGRESS"), (service.RunningCount, service.PendingCount, service.Deployments![0].RolloutState));
        clock.Advance(Step);
        Assert.Equal(("PENDING", "RUNNING"), await State());
        clock.Advance(Step);
        Assert.Equal(("RUNNING", "RUNNING"), await State());
        service = (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "dev", Services = ["w"] })).Services!.Single();
        Assert.Equal((1, "COMPLETED"), (service.RunningCount, service.Deployments![0].RolloutState));

        await ecs.StopTaskAsync(new StopTaskRequest { Cluster = "dev", Task = task, Reason = "drained" });
        Assert.Equal(("DEACTIVATING", "STOPPED"), await State());
        clock.Advance(Step);
        var stopped = (await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = "dev", Tasks = [task] })).Tasks!.Single();
        Assert.Equal(("STOPPED", "drained"), (stopped.LastStatus, stopped.StoppedReason));
        Assert.NotNull(stopped.StoppedAt);
        // The scheduler replaced the stopped task to keep the desired count.
        Assert.Single((await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "dev", ServiceName = "w" })).TaskArns!);
    }

    [Fact]
    public async Task Beanstalk_environments_are_Launching_then_Ready_Updating_then_Ready_Terminating_then_Terminated()
    {
        var (server, clock, c) = await Start(LifecycleDelays.Instant with { Environment = Step });
        await using var _ = server;
        var eb = new ElasticBeanstalkClient(c);
        await eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = "iotile" });
        await eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage { ApplicationName = "iotile", VersionLabel = "v1" });
        await eb.CreateEnvironmentAsync(new CreateEnvironmentMessage { ApplicationName = "iotile", EnvironmentName = "iotile-dev" });
        async Task<string?> Status()
            => (await eb.DescribeEnvironmentsAsync(new DescribeEnvironmentsMessage { EnvironmentNames = ["iotile-dev"] })).Environments!.Single().Status;

        Assert.Equal("Launching", await Status());
        clock.Advance(Step);
        Assert.Equal("Ready", await Status());
        await eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage { EnvironmentName = "iotile-dev", VersionLabel = "v1" });
        Assert.Equal("Updating", await Status());
        await Ops.TestSupport.AwsAssert.ErrorCode("InvalidParameterValue",
            () => eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage { EnvironmentName = "iotile-dev", VersionLabel = "v1" }));
        clock.Advance(Step);
        Assert.Equal("Ready", await Status());
        await eb.TerminateEnvironmentAsync(new TerminateEnvironmentMessage { EnvironmentName = "iotile-dev" });
        Assert.Equal("Terminating", await Status());
        clock.Advance(Step);
        Assert.Equal("Terminated", await Status());
        var events = await eb.DescribeEventsAsync(new DescribeEventsMessage { EnvironmentName = "iotile-dev" });
        Assert.Contains(events.Events!, e => e.Message == "Successfully launched environment: iotile-dev");
        Assert.Contains(events.Events!, e => e.Message == "terminateEnvironment completed successfully.");
    }

    [Fact]
    public async Task Server_errors_latency_and_a_fraction_of_calls_can_be_injected()
    {
        await using var server = await LocalCloudServer.StartAsync(TestClouds.Options());
        var c = TestClouds.Connection(server.Url, 3);
        var sqs = new SqsClient(c);

        server.Faults.Add(new FaultRule { Service = "sqs", Operation = "ListQueues", ServerError = 503, Times = 1 });
        await sqs.ListQueuesAsync();   // retried by the client past the one 503
        Assert.Equal([503, 200], server.Requests.Entries.Where(e => e.Operation == "ListQueues").Select(e => e.Status));

        server.Faults.Clear();
        server.Faults.Add(new FaultRule { Service = "sqs", Operation = "CreateQueue", Latency = TimeSpan.FromMilliseconds(300), Times = 1 });
        await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "slow" });
        // A normal call takes about a millisecond; the timer behind the delay may fire a hair early, so allow its granularity.
        Assert.True(server.Requests.Entries.Single(e => e.Operation == "CreateQueue").Duration >= TimeSpan.FromMilliseconds(250));

        server.Faults.Clear();
        server.Faults.Add(new FaultRule { Service = "sqs", Operation = "GetQueueUrl", Throttle = true, Fraction = 0.5 });
        var noRetries = c with { MaxAttempts = 1 };
        var throttled = 0;
        for (var n = 0; n < 100; n++)
            try { await new SqsClient(noRetries).GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = "slow" }); }
            catch (AmazonServiceException e) when (e.ErrorCode == "RequestThrottled") { throttled++; }
        Assert.InRange(throttled, 25, 75);   // about half; bounds far outside what chance produces in 100 tries
    }
}
