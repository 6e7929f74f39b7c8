using Ops.Stack.Web;
using Ops.Targets;

namespace Ops.Build;

/// <summary>The web tier: static files to S3 (and CloudFront), the Elastic Beanstalk application and environment, and deploy with rollback.</summary>
sealed partial class Build
{
    Target BuildStatics => _ => _
        .Description("Run the stack's statics.build command (collectstatic) and check it filled statics.directory")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new StaticsBuilder(f).BuildAsync(ct), ct));

    Target DeployStatics => _ => _
        .Description("Sync statics.directory to the statics bucket by content hash (only changed files upload, removed ones are deleted); invalidate only the changed paths on CloudFront")
        .Validates(CheckStack)
        .DependsOn(BuildStatics)
        .Executes(ct => FleetAsync(f => new StaticsSync(f).SyncAsync(ct), ct));

    Target Create => _ => _
        .Description("Create or correct the Elastic Beanstalk application and the stage's environment (first version from web.source, env vars, health check); generates Django's keys, then secrets-check")
        .Validates(CheckStack)
        .Requires(() => WebSourceIsValid)
        .DependsOn(CreateIam)
        // After every target that makes a secret secrets-check requires (the stores' passwords), and what the settings read.
        .After(CreateSecurityGroups, CreateTopics, CreateRdsInstance, CreateRedshiftCluster, CreateStreamtimeseriesRedshift, CreateRedisCluster, CreateQueues,
        CreateBuckets)
        .Executes(ct => FleetAsync(f => new WebEnvironmentProvisioner(f).EnsureAsync(ct), ct));

    Target Deploy => _ => _
        .Description("deploy-statics, then the web source as a new version: wait for Ready, Green and no ERROR event, roll back on failure; then deploy-worker")
        .Validates(CheckStack)
        .Requires(() => WebSourceIsValid)
        .DependsOn(DeployStatics)
        .After(Create)
        .Before(ShutdownEcsWorkers, UpdateEcs)
        .Triggers(DeployWorker)
        .Executes(ct => FleetAsync(f => new WebDeployer(f).DeployAsync(Force, ct), ct));

    /// <summary>web.source holds a Procfile with a web: line; checked before anything runs, so a bad source changes nothing.</summary>
    bool WebSourceIsValid => SourceBundle.Problem(RootDirectory, StageStack.Web.Source) is not { } problem ? true : throw new UsageException(problem);
}
