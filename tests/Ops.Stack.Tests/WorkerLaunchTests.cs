using Ops.Stack.Fleet;
using Ops.Stack.Model;

namespace Ops.Stack.Tests;

/// <summary>The launch decision of create-ecs and create-ec2-instances: the stack's ecs.launch-type, else the cloud's.</summary>
public sealed class WorkerLaunchTests
{
    [Theory]
    // unset: the cloud's own — EC2 with container instances on AWS, FARGATE as processes on an Ops local cloud
    [InlineData(null, false, "EC2", false, true, "EC2", null)]
    [InlineData(null, true, "FARGATE", false, true, null, null)]
    // FARGATE on AWS needs awsvpc; on a local cloud the processes share the host's network
    [InlineData("FARGATE", false, "FARGATE", true, false, "FARGATE", "awsvpc")]
    [InlineData("FARGATE", true, "FARGATE", false, false, null, null)]
    // EC2 stays EC2 everywhere: a local cloud then waits for an agent's container instance
    [InlineData("EC2", false, "EC2", false, true, "EC2", null)]
    [InlineData("EC2", true, "EC2", false, true, null, null)]
    public void The_stack_decides_and_the_cloud_fills_in(string? stack, bool processes, string type, bool awsvpc, bool instances, string? compatibility,
        string? mode)
    {
        var ecs = new EcsSpec { Cluster = "c", Service = "s", TaskFamily = "f", LogGroup = "/ecs/f", LaunchType = stack };
        var launch = WorkerLaunch.Of(ecs, processes);
        Assert.Equal(new WorkerLaunch(type, awsvpc, instances), launch);
        Assert.Equal(compatibility, launch.Compatibilities(processes)?.Single());
        Assert.Equal(mode, launch.NetworkMode);
    }
}
