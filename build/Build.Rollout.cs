using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Output;
using Ops.Stack.Rollout;
using Ops.Targets;

namespace Ops.Build;

/// <summary>The drain-aware rollout of the workers: shutdown-ecs-workers, update-ecs and deploy-worker, one rollout per stage (lease).</summary>
sealed partial class Build
{
    [Parameter("How a rollout drains the workers: kill-ack or task-protection (default: the stack's worker.drain).")]
    public DrainStrategy? Drain;

    [Parameter("How long shutdown-ecs-workers waits for every worker to acknowledge, like 15m (default: the stack's rollout.drain-timeout).")]
    public TimeSpan? DrainTimeout;

    [Parameter("How long update-ecs waits for the new revision to run before it rolls back, like 10m (default: the stack's rollout.update-timeout).")]
    public TimeSpan? UpdateTimeout;

    [Parameter("Roll out without waiting for acknowledgements (said loudly in the output and recorded in the rollout record).", CommandLineOnly = true)]
    public bool Force;

    readonly Lock _rolloutGate = new();
    Task<RolloutSession>? _rollout;

    Target ShutdownEcsWorkers => _ => _
        .Description("Drain the stage's workers: one kill message per task, then wait for every acknowledgement (--drain, --drain-timeout, --force)")
        .Validates(CheckStack)
        .Validates(CheckRolloutInputs)
        // The roles a new revision names are settled before any worker is told to stop.
        .After(CreateIam, BuildDocker, CreateEcs)
        .Executes(ct => FleetAsync(f => RollAsync(f, "shutdown-ecs-workers", async s => { await new WorkerDrainer(s).DrainAsync(ct); return []; }, ct), ct));

    Target UpdateEcs => _ => _
        .Description("Register a new worker revision and roll the service onto it; roll back and exit 1 if its tasks fail (--update-timeout)")
        .Validates(CheckStack)
        .Validates(CheckRolloutInputs)
        .DependsOn(CreateIam)
        .After(BuildDocker, CreateEcs, ShutdownEcsWorkers)
        .Executes(ct => FleetAsync(f => RollAsync(f, "update-ecs", async s => { await new WorkerUpdater(s).UpdateAsync(ct); return []; }, ct), ct));

    Target DeployWorker => _ => _
        .Description("build-docker, then shutdown-ecs-workers, then update-ecs: redeploy the workers without losing work")
        .DependsOn(BuildDocker, ShutdownEcsWorkers, UpdateEcs)
        .Executes(() => { });

    /// <summary>The rollout settings of this run: --drain, --drain-timeout, --update-timeout and --force over the stack's.</summary>
    RolloutOptions RolloutOptions => new()
    {
        Strategy = Drain ?? StageStack.Worker.Strategy,
        DrainTimeout = DrainTimeout ?? TimeSpan.FromSeconds(StageStack.Rollout.DrainTimeoutSeconds),
        UpdateTimeout = UpdateTimeout ?? TimeSpan.FromSeconds(StageStack.Rollout.UpdateTimeoutSeconds),
        Force = Force,
    };

    /// <summary>Checked before anything runs: a zero timeout is a usage error (exit 2).</summary>
    void CheckRolloutInputs()
    {
        if (DrainTimeout is { } d && d <= TimeSpan.Zero) throw new UsageException($"--drain-timeout must be longer than zero, like 15m.");
        if (UpdateTimeout is { } u && u <= TimeSpan.Zero) throw new UsageException($"--update-timeout must be longer than zero, like 10m.");
    }

    /// <summary>This run's rollout session (table, lease, record), opened once and shared by shutdown-ecs-workers and update-ecs.</summary>
    Task<RolloutSession> RolloutAsync(StageContext context, CancellationToken cancellationToken)
    {
        lock (_rolloutGate) return _rollout ??= RolloutSession.OpenAsync(context, RolloutOptions, cancellationToken);
    }

    /// <summary>
    /// Runs one rollout step in this run's session; with --output json its rollout result follows on stdout, whether the
    /// step succeeded or not (docs/output.md).
    /// </summary>
    async Task<IReadOnlyList<Change>> RollAsync(StageContext context, string target, Func<RolloutSession, Task<IReadOnlyList<Change>>> step,
        CancellationToken ct)
    {
        var session = await RolloutAsync(context, ct);
        var succeeded = false;
        try
        {
            var changes = await step(session);
            succeeded = true;
            return changes;
        }
        finally
        {
            if (Json) Log.Data(ResultJson.Line(RolloutResult.ToJson(target, session, succeeded)));
        }
    }

    /// <summary>Releases the lease at the end of the run (whatever happened).</summary>
    async ValueTask ReleaseRolloutAsync()
    {
        Task<RolloutSession>? rollout;
        lock (_rolloutGate) rollout = _rollout;
        if (rollout is { IsCompletedSuccessfully: true }) await (await rollout).DisposeAsync();
    }
}
