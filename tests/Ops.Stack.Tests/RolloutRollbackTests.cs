using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Contracts;
using Ops.LocalCloud;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Model;
using Ops.Stack.Rollout;

namespace Ops.Stack.Tests;

/// <summary>update-ecs on a LocalCloud that runs tasks as real processes: a new revision whose workers crash is rolled back.</summary>
public sealed class RolloutRollbackTests : IAsyncLifetime
{
    readonly string _root = Directory.CreateTempSubdirectory("ops-rollback-").FullName;
    LocalCloudServer _server = null!;

    AwsConnection Connection => TestClouds.Connection(_server.Url, 3, opsLocalCloud: true);

    StageContext Context(StageStack stack, CapturedLog log) => new()
    {
        Connection = Connection,
        Stack = stack,
        Log = log,
        RepositoryRoot = FleetCloud.RepositoryRoot,
        PollInterval = TimeSpan.FromMilliseconds(100),
        WaitTimeout = TimeSpan.FromSeconds(60),
    };

    public async Task InitializeAsync() =>
        _server = await LocalCloudServer.StartAsync(TestClouds.Options(Path.Combine(_root, "state")));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_new_revision_whose_workers_exit_is_rolled_back_to_the_previous_one_naming_the_cause()
    {
        var stack = FleetCloud.Stack("rb1") with { Local = new LocalSpec { Command = ["sleep", "600"], Prepare = [] } };
        var log = new CapturedLog();
        await new QueueProvisioner(Context(stack, log)).EnsureAsync(default);
        await new RepositoryProvisioner(Context(stack, log)).EnsureAsync(default);
        await new EcsProvisioner(Context(stack, log)).EnsureAsync(default);

        var crashing = stack with { Local = new LocalSpec { Command = ["sh", "-c", "echo boom; exit 3"], Prepare = [] } };
        var options = new RolloutOptions
        {
            Strategy = DrainStrategy.TaskProtection,
            DrainTimeout = TimeSpan.FromMinutes(1),
            UpdateTimeout = TimeSpan.FromSeconds(60),
            DrainPoll = TimeSpan.FromMilliseconds(100),
            UpdatePoll = TimeSpan.FromMilliseconds(200),
            Settle = TimeSpan.FromSeconds(3),
        };
        await using var session = await RolloutSession.OpenAsync(Context(crashing, log), options, default);
        var e = await Assert.ThrowsAsync<CloudStateException>(() => new WorkerUpdater(session).UpdateAsync(default));

        Assert.StartsWith("rolled back to iotile-worker-rb1:1: ", e.Message);
        Assert.Contains("stopped on their own", e.Message);
        Assert.Contains("(exit 3)", e.Message);
        using var store = new RolloutStore(Context(stack, log));
        var record = (await store.NewestAsync(default))!;
        Assert.Equal("rolled-back", record.Phase);
        Assert.EndsWith("iotile-worker-rb1:2", record.ToTaskDefinition);
        Assert.Equal(e.Message["rolled back to iotile-worker-rb1:1: ".Length..], record.Cause);
        var service = (await new EcsClient(Connection).DescribeServicesAsync(new DescribeServicesRequest { Cluster = "iotile-rb1", Services = ["iotile-worker-rb1"] })).Services![0];
        Assert.EndsWith("iotile-worker-rb1:1", service.TaskDefinition);
        Assert.Single(service.Deployments!);
    }
}
