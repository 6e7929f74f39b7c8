using Ops.Stack.Model;

namespace Ops.Stack.Fleet;

/// <summary>
/// How the stage's worker tasks are launched: the stack's <c>ecs.launch-type</c>, else the cloud's (EC2 on AWS, FARGATE on an
/// Ops local cloud, which places such tasks without container instances and runs them as host processes).
/// </summary>
/// <param name="LaunchType">EC2 or FARGATE: the service's launch type and the task definition's compatibility.</param>
/// <param name="Awsvpc">
/// Whether tasks get their own network interface (<c>awsvpc</c>: the subnets and security group in the service's network
/// configuration). AWS requires it for FARGATE; a local cloud's processes share the host's network, so it is never used there.
/// </param>
/// <param name="NeedsInstances">
/// Whether create-ec2-instances launches the stack's container instances: unless the stack chose FARGATE (an Ops local cloud's
/// own FARGATE default leaves that target as it is: it launches the instances a test of EC2 capacity asks for).
/// </param>
public sealed record WorkerLaunch(string LaunchType, bool Awsvpc, bool NeedsInstances)
{
    /// <summary>The launch of <paramref name="ecs"/>'s service on a cloud that does (or does not) run tasks as processes.</summary>
    public static WorkerLaunch Of(EcsSpec ecs, bool tasksRunAsProcesses)
    {
        var type = ecs.LaunchType ?? (tasksRunAsProcesses ? "FARGATE" : "EC2");
        var fargate = type == "FARGATE";
        return new WorkerLaunch(type, fargate && !tasksRunAsProcesses, ecs.LaunchType != "FARGATE");
    }

    /// <summary>The task definition's <c>requiresCompatibilities</c>: none on a local cloud (it runs either kind), else the launch type.</summary>
    public List<string>? Compatibilities(bool tasksRunAsProcesses) => tasksRunAsProcesses ? null : [LaunchType];

    /// <summary>The task definition's network mode: <c>awsvpc</c> for it, else the cloud's default.</summary>
    public string? NetworkMode => Awsvpc ? "awsvpc" : null;
}
