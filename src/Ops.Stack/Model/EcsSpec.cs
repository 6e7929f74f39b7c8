namespace Ops.Stack.Model;

/// <summary>The ECS side of the worker tier: cluster, service, task definition.</summary>
public sealed record EcsSpec
{
    /// <summary>The launch types <c>ecs.launch-type</c> accepts.</summary>
    public static IReadOnlyList<string> LaunchTypes { get; } = ["EC2", "FARGATE"];

    public required string Cluster { get; init; }

    public required string Service { get; init; }

    /// <summary>Task-definition family.</summary>
    public required string TaskFamily { get; init; }

    /// <summary>The container's name inside the task definition.</summary>
    public string ContainerName { get; init; } = "worker";

    /// <summary>
    /// The service's launch type, <c>EC2</c> or <c>FARGATE</c>; null: the cloud's (EC2 on AWS, whose capacity
    /// create-ec2-instances launches; FARGATE on an Ops local cloud, which runs tasks as processes).
    /// </summary>
    public string? LaunchType { get; init; }

    /// <summary>Service desired count (prod: 6).</summary>
    public int DesiredCount { get; init; } = 1;

    /// <summary>CPU units of the task (128–10240).</summary>
    public int Cpu { get; init; } = 256;

    /// <summary>Memory of the task in MiB (128–30720).</summary>
    public int Memory { get; init; } = 512;

    /// <summary>Seconds between SIGTERM and SIGKILL when a task stops (2–120; ECS default 30).</summary>
    public int StopTimeoutSeconds { get; init; } = 30;

    public int MinimumHealthyPercent { get; init; } = 50;

    public int MaximumPercent { get; init; } = 200;

    /// <summary>CloudWatch Logs group of the awslogs driver (/ecs/iotile-worker-{stage}).</summary>
    public required string LogGroup { get; init; }

    /// <summary>Days the log group keeps events.</summary>
    public int LogRetentionDays { get; init; } = 30;

    /// <summary>Environment of the worker container, besides what Ops sets (queue and table names).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
