using Ops.Aws;
using Ops.Stack.Model;

namespace Ops.Stack.Core;

/// <summary>What every fleet operation works with: the connection, the stage's stack, where to report, and whether to change anything.</summary>
public sealed record StageContext
{
    public required AwsConnection Connection { get; init; }

    public required StageStack Stack { get; init; }

    public required IStackLog Log { get; init; }

    /// <summary>Print what would change and change nothing (only Describe/List/Get calls are made).</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The cloud runs ECS tasks as host processes, without container instances (an Ops local cloud, told by its probe):
    /// the service asks for FARGATE capacity there, and with no image in ECR the stack's <c>local.command</c> runs instead.
    /// </summary>
    public bool TasksRunAsProcesses => Connection.IsOpsLocalCloud;

    /// <summary>
    /// The stores' endpoints speak TLS (RDS, Redshift and ElastiCache in transit); false for an Ops local cloud, whose
    /// PostgreSQL and Redis are plain servers on loopback.
    /// </summary>
    public bool StoresUseTls => !Connection.IsOpsLocalCloud;

    /// <summary>Which cloud <c>--cloud</c> chose, for reports (<c>local</c> also for an emulator reached by <c>--endpoint-url</c>).</summary>
    public CloudKind Cloud { get; init; } = CloudKind.Local;

    /// <summary>The repository root: where the image tag is computed from git and <c>local.prepare</c> runs.</summary>
    public string RepositoryRoot { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>How long a wait (table ACTIVE, instances running, tasks stopped, service stable) may take before it fails.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time between two polls of a wait.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether create-ecs waits for the service to run its desired count (emulators without a scheduler: false).</summary>
    public bool WaitForService { get; init; } = true;

    /// <summary>The lookups shared by the targets of this run (one instance per run, so each is read once).</summary>
    public StageReads Reads { get; init; } = new();
}
