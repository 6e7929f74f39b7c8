using Ops.Aws.ElasticBeanstalk;
using Ops.Stack.Core;

namespace Ops.Stack.Web;

/// <summary>
/// deploy (after deploy-statics): bundles <c>web.source</c>, registers it as an application version, updates the
/// environment to it and waits for Ready AND Green AND no ERROR event since the update began. On failure it redeploys the
/// version the environment ran before, waits for it, and fails with <c>rolled back to &lt;label&gt;: &lt;reason&gt;</c>.
/// The environment's VersionLabel is the record of what is deployed (recreate reads it).
/// </summary>
public sealed class WebDeployer(StageContext context)
{
    readonly ElasticBeanstalkClient _eb = new(context.Connection);

    string Environment => context.Stack.Web.Environment;
    string Resource => $"eb environment {Environment}";

    /// <summary>Deploys the working tree's web source; <paramref name="force"/> redeploys a version that already runs and is Green.</summary>
    public async Task<IReadOnlyList<Change>> DeployAsync(bool force, CancellationToken cancellationToken)
    {
        var bundle = SourceBundle.Create(context.RepositoryRoot, context.Stack.Web.Source, context.Stack.Statics.Directory);
        var watch = new EnvironmentWatch(context, _eb);
        var timeout = TimeSpan.FromSeconds(context.Stack.Web.DeployTimeoutSeconds);
        var env = await watch.DescribeAsync(Environment, cancellationToken)
            ?? throw new CloudStateException($"{Resource} does not exist; run ./build.sh create --stage {context.Stack.Stage} first (up does it).");
        if (env.Status != "Ready" && !context.DryRun)
            env = await watch.UntilSettledAsync(Environment, timeout, cancellationToken) ?? throw new CloudStateException($"{Resource} disappeared while Ops waited for it; run create, then deploy.");
        var previous = env.VersionLabel;
        if (previous == bundle.Label && env.Health == "Green" && !force)
        {
            context.Log.Info($"{Resource} already runs {bundle.Label} and is Green: nothing to deploy (--force deploys it again)");
            return [];
        }

        var changes = new List<Change>(await new WebVersions(context, _eb).EnsureAsync(bundle, cancellationToken));
        var change = new Change(Resource, "version", previous ?? "(none)", bundle.Label);
        changes.Add(change);
        if (context.DryRun)
        {
            await Mutation.ApplyAsync(context, change, () => Task.CompletedTask);
            return changes;
        }
        var started = await UpdateAsync(bundle.Label, cancellationToken);
        var (healthy, failure) = await watch.UntilHealthyAsync(Environment, bundle.Label, started, timeout, cancellationToken);
        if (failure == null)
        {
            context.Log.Info($"deployed {bundle.Label} to {Resource}: Ready, Green, serving at {healthy!.EndpointURL ?? healthy.CNAME}");
            await new Lifecycle.DeployedVersions(context).RecordWebAsync(bundle.Label, cancellationToken);
            return changes;
        }

        context.Log.Warning($"deploy of {bundle.Label} failed: {failure}");
        if (previous == null || previous == bundle.Label)
            throw new CloudStateException($"deploy of {bundle.Label} to {Resource} failed: {failure}; there is no earlier version to roll back to: fix the app and deploy again.");
        context.Log.Info($"rolling back {Resource} to {previous}");
        await watch.UntilSettledAsync(Environment, timeout, cancellationToken);
        var rollbackStarted = await UpdateAsync(previous, cancellationToken);
        var (_, rollbackFailure) = await watch.UntilHealthyAsync(Environment, previous, rollbackStarted, timeout, cancellationToken);
        if (rollbackFailure != null)
            throw new CloudStateException($"deploy of {bundle.Label} failed ({failure}) and the rollback to {previous} failed too ({rollbackFailure}); {Resource} is not healthy: check its events, then deploy a working version.");
        await new Lifecycle.DeployedVersions(context).RecordWebAsync(previous, cancellationToken);
        throw new CloudStateException($"rolled back to {previous}: {failure}");
    }

    async Task<DateTimeOffset> UpdateAsync(string label, CancellationToken ct)
    {
        var before = DateTimeOffset.UtcNow;
        context.Log.Info($"{Resource}: updating to {label}");
        var result = await _eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage
        {
            ApplicationName = context.Stack.Web.Application,
            EnvironmentName = Environment,
            VersionLabel = label,
        }, ct);
        // Events are stamped by the service's clock: the update's own time is the fairest "since".
        return result.DateUpdated ?? before;
    }
}
