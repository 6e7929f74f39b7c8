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
    void ConfirmDestroy()
    {
        var stage = StageStack.Stage;
        if (DryRun) return;
        if (StageStack.Protected && !AllowProd)
            throw new UsageException($"destroy refuses stage {stage}: it is protected ({ProtectedBecause}) and destroy deletes its databases and data; pass --allow-prod as well if that is really what you want (try --dry-run first).");
        if (!DestroyData)
            throw new UsageException($"destroy deletes every data store of stage {stage}; pass --destroy-data --confirm {stage} to go on (teardown removes only the compute; --dry-run lists what destroy would delete).");
        if (Confirm != stage)
            throw new UsageException(Confirm == null
                ? $"destroy needs --confirm {stage}: the stage's name again, so a wrong --stage cannot delete another stage's data."
                : $"--confirm '{Confirm}' does not match --stage {stage}; pass --confirm {stage} to destroy stage {stage}.");
    }

    /// <summary>Teardown and drill stop a protected stage's service: the stage's name typed again says it is meant (a dry run needs none).</summary>
    void ConfirmProtectedStage(string target)
    {
        var stage = StageStack.Stage;
        if (DryRun || !StageStack.Protected || Confirm == stage) return;
        throw new UsageException(Confirm == null
            ? $"{target} of stage {stage} needs --confirm {stage}: the stage is protected ({ProtectedBecause}) and {target} stops what serves it."
            : $"--confirm '{Confirm}' does not match --stage {stage}; pass --confirm {stage} to {target} stage {stage}.");
    }

    /// <summary>Why a stage can be protected, for the refusals above.</summary>
    const string ProtectedBecause = "prod, a stage like: prod, or protected: true in the stack";

    Target Drill => _ => _
        .Description("up, deploy (and deploy-worker), then the drill: a marker in every store, teardown, recreate, every marker checked and the queued message consumed; the RTO and a report under .nuke/temp/drills/")
        .Validates(CheckStack)
        .Validates(CheckRolloutInputs)
        .Validates(() => ConfirmProtectedStage("drill"))
        .DependsOn(Up, Deploy)
        .After(DeployWorker)
        .Executes(ct => FleetAsync(async f =>
        {
            await new StageDrill(await RolloutAsync(f, ct), Path.Combine(RootDirectory, ".nuke", "temp", "drills"), Json, EnforcedLocally ? LocalCloudHost.DeniedRequests : null).RunAsync(ct);
            return [];
        }, ct));

    Target Recreate => _ => _
        .Description("Bring the stage's compute back after a teardown: the workers on the image and the web environment on the version recorded at deploy time")
        .Validates(CheckStack)
        .After(Teardown)
        .Executes(ct => FleetAsync(f => new StageRecreate(f).RecreateAsync(ct), ct));
}
