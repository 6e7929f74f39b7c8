using Ops.Aws;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Targets;

namespace Ops.Build;

/// <summary>The worker fleet's targets: queues, worker-log table, repository, instances, ECS — create, describe, terminate.</summary>
sealed partial class Build
{
    Target CreateQueues => _ => _
        .Description("Create or correct the stage's work and report queues with their dead-letter queues (SSE, redrive, tags)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new QueueProvisioner(f).EnsureAsync(ct), ct));

    Target CreateWorkerLogTable => _ => _
        .Description("Create or correct the stage's DynamoDB worker-log table (on-demand, SSE, GSI task-index) and wait until ACTIVE")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new WorkerLogTableProvisioner(f).EnsureAsync(ct), ct));

    Target CreateEcrRepository => _ => _
        .Description("Create or correct the worker image's ECR repository (immutable tags, scan on push, AES256, lifecycle policy)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new RepositoryProvisioner(f).EnsureAsync(ct), ct));

    Target CreateEc2Instances => _ => _
        .Description("Launch the stage's missing ECS container instances (ECS-optimised AMI, egress-only security group) and wait until running")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new InstanceProvisioner(f).EnsureAsync(ct), ct));

    Target CreateEcs => _ => _
        .Description("Create or correct the stage's ECS cluster, log group, task definition (image pinned by digest) and service")
        .Validates(CheckStack)
        .DependsOn(CreateIam, CreateQueues, CreateWorkerLogTable, CreateEcrRepository)
        .After(BuildDocker)
        .Executes(ct => FleetAsync(f => new EcsProvisioner(f).EnsureAsync(ct), ct));

    Target DescribeEcs => _ => _
        .Description("Show the stage's cluster, instances, service, deployments and tasks (--output json for the documented schema)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(async f => { await new FleetDescriber(f).PrintAsync(Json, ct); return []; }, ct));

    Target TerminateEcs => _ => _
        .Description("Scale the stage's service to 0, delete it, deregister its task definitions and terminate its instances (keeps cluster, queues, repository, table)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new FleetTerminator(f).TerminateAsync(ct), ct));

    /// <summary>Changes the fleet and store targets of this run made (or, on a dry run, would make): up's summary.</summary>
    int _changesMade;

    /// <summary>What the run's targets look up in common (account, VPC, groups, secrets, topics): read once, shared by every target.</summary>
    readonly StageReads _reads = new();

    /// <summary>Runs one fleet operation on this build's stage and cloud; a user error exits 2, a cloud fault 1.</summary>
    async Task FleetAsync(Func<StageContext, Task<IReadOnlyList<Change>>> operation, CancellationToken cancellationToken)
    {
        var context = new StageContext
        {
            Connection = await ConnectAsync(cancellationToken),
            Stack = StageStack,
            Log = StackLog,
            DryRun = DryRun,
            Cloud = Cloud,
            RepositoryRoot = RootDirectory,
            Reads = _reads,
            // The local cloud's lifecycles take seconds, not minutes: poll it often so a wait ends soon after the resource is ready.
            PollInterval = Cloud != CloudKind.Aws ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5),
        };
        var changes = await operation(context);
        Interlocked.Add(ref _changesMade, changes.Count);
        if (DryRun && changes.Count > 0) Log.Info($"dry run: {changes.Count} change(s) not made");
    }
}
