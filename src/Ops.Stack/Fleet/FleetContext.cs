using Ops.Aws;
using Ops.Stack.Model;

namespace Ops.Stack.Fleet;

/// <summary>What every fleet operation works with: the connection, the stage's stack, where to report, and whether to change anything.</summary>
public sealed record FleetContext
{
    public required AwsConnection Connection { get; init; }

    public required StageStack Stack { get; init; }

    public required IStackLog Log { get; init; }

    /// <summary>Print what would change and change nothing (only Describe/List/Get calls are made).</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The cloud is LocalCloud (or another emulator reached with <c>--cloud local</c>): the service is placed without
    /// container instances (launch type FARGATE, which LocalCloud runs as host processes), and with no image in ECR
    /// the stack's <c>local.command</c> runs instead.
    /// </summary>
    public bool IsLocalCloud { get; init; }

    /// <summary>The repository root: where the image tag is computed from git and <c>local.prepare</c> runs.</summary>
    public string RepositoryRoot { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>How long a wait (table ACTIVE, instances running, tasks stopped, service stable) may take before it fails.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time between two polls of a wait.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether create-ecs waits for the service to run its desired count (emulators without a scheduler: false).</summary>
    public bool WaitForService { get; init; } = true;
}
