using Ops.Stack.Drills;
using Ops.Stack.Lifecycle;
using Ops.Targets;

namespace Ops.Build;

/// <summary>Teardown and recreate of the stage's compute: the data stays, the workers drain first, the deployed versions come back.</summary>
sealed partial class Build
{
    Target Teardown => _ => _
        .Description("Drain the workers, then remove the stage's compute (Elastic Beanstalk environment, ECS service, task definitions, instances); keeps every data store, queue, table, bucket, topic and secret")
        .Validates(CheckStack)
        .Validates(CheckRolloutInputs)
        .Validates(() => ConfirmProtectedStage("teardown"))
        .Executes(ct => FleetAsync(f => RollAsync(f, "teardown", s => new StageTeardown(s).TeardownAsync(ct), ct), ct));

    [Parameter("destroy: delete the stage's data too (databases, caches, tables, buckets, queues, topics, secrets); required with --confirm.", CommandLineOnly = true)]
    public bool DestroyData;

    [Parameter("The stage's name again: destroy needs it, and so do teardown and drill of a protected stage.", CommandLineOnly = true)]
    public string? Confirm;

    [Parameter("destroy: allow destroying a protected stage (prod, any stage like: prod, or protected: true in the stack).", CommandLineOnly = true)]
    public bool AllowProd;

    Target Destroy => _ => _
        .Description("Teardown, then delete every resource of the stage, final snapshots of RDS and Redshift first; needs --destroy-data and --confirm <stage> (and --allow-prod for prod); --dry-run lists it all")
        .Validates(CheckStack)
        .Validates(CheckRolloutInputs)
        .Validates(ConfirmDestroy)
        .Executes(ct => FleetAsync(async f => await new StageDestroyer(await RolloutAsync(f, ct)).DestroyAsync(ct), ct));

    /// <summary>
    /// Checked before anything runs: destroy deletes data only when told so, twice, and prod only when allowed (a dry run
    /// changes nothing and needs neither); otherwise throws a usage error naming what to pass.
    /// </summary>
    /// <summary>destroy's refusal (StageGuards.Destroy): a protected stage, no --destroy-data, or no matching --confirm.</summary>
    void ConfirmDestroy()
    {
        if (StageGuards.Destroy(StageStack, DryRun, AllowProd, DestroyData, Confirm) is { } refusal) throw new UsageException(refusal);
    }

    /// <summary>Teardown and drill stop a protected stage's service: the stage's name typed again says it is meant (StageGuards.StopProtected).</summary>
    void ConfirmProtectedStage(string target)
    {
        if (StageGuards.StopProtected(target, StageStack, DryRun, Confirm) is { } refusal) throw new UsageException(refusal);
    }

    Target Drill => _ => _
        .Description("up, deploy (and deploy-worker), then the drill: a marker in every store, teardown, recreate, every marker checked and the queued message consumed; the RTO and a report under .nuke/temp/drills/")
        .Validates(CheckStack)
        .Validates(CheckRolloutInputs)
        .Validates(() => ConfirmProtectedStage("drill"))
        .DependsOn(Up, Deploy)
        .After(DeployWorker)
        .Executes(ct => FleetAsync(async f =>
        {
            await new StageDrill(await RolloutAsync(f, ct), Path.Combine(RootDirectory, ".nuke", "temp", "drills"), Json, EnforcedLocally ? LocalCloudHost.DeniedRequests
                : null).RunAsync(ct);
            return [];
        }, ct));

    Target Recreate => _ => _
        .Description("Bring the stage's compute back after a teardown: the workers on the image and the web environment on the version recorded at deploy time")
        .Validates(CheckStack)
        .After(Teardown)
        .Executes(ct => FleetAsync(f => new StageRecreate(f).RecreateAsync(ct), ct));
}
