using Ops.Aws.ElasticBeanstalk;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using Ops.Stack.Secrets;
using Ops.Stack.Status;
using Ops.Stack.Stores;

namespace Ops.Stack.Web;

/// <summary>
/// create: the web tier's Elastic Beanstalk application and the stage's environment, running a first version built from
/// <c>web.source</c>, with the settings of <see cref="WebSettings"/>; Django's generated secrets are made first and
/// secrets-check must pass. An existing environment whose settings drifted is updated in place; otherwise nothing changes.
/// With <paramref name="pinnedVersion"/> (recreate), a missing environment is created on that existing application version
/// instead of a bundle of the working tree.
/// </summary>
public sealed class WebEnvironmentProvisioner(StageContext context, string? pinnedVersion = null) : IStatusSource
{
    /// <summary>Length of the generated Django keys.</summary>
    public const int KeyLength = 50;

    /// <summary>The secrets the web tier generates itself (the stores generate their passwords).</summary>
    public static readonly IReadOnlyList<string> WebSecrets = ["SecretKey", "JwtSecretKey"];

    readonly ElasticBeanstalkClient _eb = new(context.Connection);

    string Application => context.Stack.Web.Application;
    string Environment => context.Stack.Web.Environment;
    string Resource => $"eb environment {Environment}";

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        // A bundle problem is the user's to fix: say so before the first call.
        if (pinnedVersion == null && SourceBundle.Problem(context.RepositoryRoot, context.Stack.Web.Source) is { } problem) throw new StackException(problem);
        var changes = new List<Change>();
        await EnsureSecretsAsync(cancellationToken);
        changes.AddRange(await EnsureApplicationAsync(cancellationToken));

        var watch = new EnvironmentWatch(context, _eb);
        var timeout = TimeSpan.FromSeconds(context.Stack.Web.CreateTimeoutSeconds);
        var env = await watch.DescribeAsync(Environment, cancellationToken);
        if (env?.Status == "Terminating")
        {
            context.Log.Info($"{Resource} is terminating; waiting for it to go before creating it again");
            await watch.UntilGoneAsync(Environment, timeout, cancellationToken);
            env = null;
        }
        var desired = WebSettings.Desired(context.Stack, await InputsAsync(cancellationToken));
        if (env == null)
        {
            var label = await FirstVersionAsync(changes, cancellationToken);
            var change = new Change(Resource, "environment", null, $"{context.Stack.Web.SolutionStack}, {context.Stack.Web.InstanceType}, version {label}, health {context.Stack.Web.HealthPath}, {desired.Count(o => o.Namespace == WebSettings.Environment)} environment variables");
            changes.Add(change);
            DateTimeOffset started = DateTimeOffset.UtcNow;
            await Mutation.ApplyAsync(context, change, async () =>
            {
                var created = await _eb.CreateEnvironmentAsync(new CreateEnvironmentMessage
                {
                    ApplicationName = Application,
                    EnvironmentName = Environment,
                    VersionLabel = label,
                    SolutionStackName = context.Stack.Web.SolutionStack,
                    Tier = new EnvironmentTier { Name = "WebServer", Type = "Standard" },
                    Description = $"{context.Stack.Project} {context.Stack.Stage} web tier, managed by Ops",
                    OptionSettings = desired.Select(Setting).ToList(),
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, cancellationToken);
                started = created.DateCreated ?? started;
            });
            if (!context.DryRun)
            {
                await WaitHealthyAsync(watch, label, started, timeout, "created", cancellationToken);
                await new Lifecycle.DeployedVersions(context).RecordWebAsync(label, cancellationToken);
            }
            return changes;
        }

        if (env.Status != "Ready") env = await watch.UntilSettledAsync(Environment, timeout, cancellationToken) ?? throw new CloudStateException($"{Resource} disappeared while Ops waited for it; run create again.");
        var (set, remove, settingChanges) = WebSettings.Diff(Resource, desired, await ActualAsync(cancellationToken));
        var platform = env.SolutionStackName != context.Stack.Web.SolutionStack
            ? new Change(Resource, "solution stack", env.SolutionStackName ?? "(none)", context.Stack.Web.SolutionStack)
            : null;
        var all = settingChanges.Concat(platform == null ? [] : [platform]).ToList();
        if (all.Count == 0)
        {
            context.Log.Info($"{Resource}: up to date ({env.Status}, health {env.Health}, version {env.VersionLabel ?? "(none)"})");
            return changes;
        }
        changes.AddRange(all);
        DateTimeOffset updated = DateTimeOffset.UtcNow;
        await Mutation.ApplyAsync(context, all, async () =>
        {
            var result = await _eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage
            {
                ApplicationName = Application,
                EnvironmentName = Environment,
                SolutionStackName = platform == null ? null : context.Stack.Web.SolutionStack,
                OptionSettings = set.Count == 0 ? null : set.Select(Setting).ToList(),
                OptionsToRemove = remove.Count == 0 ? null
                    : remove.Select(o => new OptionSpecification { Namespace = o.Namespace, OptionName = o.Name }).ToList(),
            }, cancellationToken);
            updated = result.DateUpdated ?? updated;
        });
        if (!context.DryRun) await WaitHealthyAsync(watch, null, updated, timeout, "updated", cancellationToken);
        return changes;
    }

    /// <summary>The version a new environment starts on: the pinned one (it must still exist), else the working tree's bundle (registered when new).</summary>
    async Task<string> FirstVersionAsync(List<Change> changes, CancellationToken ct)
    {
        var versions = new WebVersions(context, _eb);
        if (pinnedVersion != null)
        {
            if (!await versions.ExistsAsync(pinnedVersion, ct))
                throw new CloudStateException($"the recorded version {pinnedVersion} is no longer an application version of {Application}; run ./build.sh create --stage {context.Stack.Stage} (it deploys the working tree) instead of recreate.");
            return pinnedVersion;
        }
        var bundle = SourceBundle.Create(context.RepositoryRoot, context.Stack.Web.Source, context.Stack.Statics.Directory);
        changes.AddRange(await versions.EnsureAsync(bundle, ct));
        return bundle.Label;
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var apps = (await _eb.DescribeApplicationsAsync(new DescribeApplicationsMessage { ApplicationNames = [Application] }, cancellationToken)).Applications
            ?? [];
        var rows = new List<ResourceStatus>
        {
            apps.Count == 0 ? ResourceStatus.Missing("eb-application", Application) : new ResourceStatus("eb-application", Application, true, $"{apps[0].Versions?.Count ?? 0} version(s)", true, []),
        };
        var env = apps.Count == 0 ? null : await new EnvironmentWatch(context, _eb).DescribeAsync(Environment, cancellationToken);
        if (env == null)
        {
            rows.Add(ResourceStatus.Missing("eb-environment", Environment));
            return rows;
        }
        var (_, _, changes) = WebSettings.Diff(Resource, WebSettings.Desired(context.Stack, await InputsAsync(cancellationToken)),
            await ActualAsync(cancellationToken));
        var drift = changes.Select(c => $"{c.Setting}: {c.Old} → {c.New}").ToList();
        if (env.SolutionStackName != context.Stack.Web.SolutionStack) drift.Add($"solution stack: {env.SolutionStackName} → {context.Stack.Web.SolutionStack}");
        var state = $"{env.Status} {env.Health} {env.VersionLabel ?? "(no version)"} {env.EndpointURL ?? env.CNAME}";
        rows.Add(new ResourceStatus("eb-environment", Environment, true, state, env.Status == "Ready" && env.Health == "Green", drift));
        return rows;
    }

    async Task WaitHealthyAsync(EnvironmentWatch watch, string? label, DateTimeOffset since, TimeSpan timeout, string what, CancellationToken ct)
    {
        var (healthy, failure) = await watch.UntilHealthyAsync(Environment, label, since, timeout, ct);
        if (failure != null)
            throw new CloudStateException($"{Resource} was {what} but is not healthy: {failure}; fix the app (its events are above) and run ./build.sh deploy --stage {context.Stack.Stage}.");
        context.Log.Info($"{Resource}: Ready, Green, version {healthy!.VersionLabel}, serving at {healthy.EndpointURL ?? healthy.CNAME}");
    }

    async Task EnsureSecretsAsync(CancellationToken ct)
    {
        var store = new SecretStore(context);
        foreach (var name in WebSecrets.Where(context.Stack.Secrets.Generated.Contains))
            await store.EnsureGeneratedAsync(name, KeyLength, ct);
        try
        {
            await new SecretCommands(context).CheckAsync(ct);
        }
        catch (CloudStateException e) when (context.DryRun)
        {
            context.Log.Warning($"secrets-check would fail unless the missing secrets are made first: {e.Message}");
        }
    }

    async Task<IReadOnlyList<Change>> EnsureApplicationAsync(CancellationToken ct)
    {
        var apps = (await _eb.DescribeApplicationsAsync(new DescribeApplicationsMessage { ApplicationNames = [Application] }, ct)).Applications ?? [];
        if (apps.Count > 0) return [];
        var change = new Change($"eb application {Application}", "application", null, "tagged");
        await Mutation.ApplyAsync(context, change, async () =>
        {
            try
            {
                await _eb.CreateApplicationAsync(new CreateApplicationMessage
                {
                    ApplicationName = Application,
                    Description = $"{context.Stack.Project} web tier, managed by Ops",
                    Tags = context.Stack.Tags.Where(t => t.Key != "Stage").Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, ct);
            }
            catch (Exception e) when (AwsErrors.IsBeanstalkAlreadyExists(e))
            {
                // Shared by every stage: another stage's create made it first.
            }
        });
        return [change];
    }

    async Task<WebInputs> InputsAsync(CancellationToken ct)
    {
        var groups = await new SecurityGroupsProvisioner(context).IdsAsync(ct);
        var topic = await new TopicsProvisioner(context).ArnAsync(context.Stack.Topics.Web, ct);
        var database = await new RdsInstanceProvisioner(context).EndpointAsync(ct);
        var redis = await new RedisProvisioner(context).PrimaryAsync(ct);
        return new WebInputs(groups.GetValueOrDefault(context.Stack.SecurityGroups.Web), topic, database?.Address, database?.Port, redis?.Address, redis?.Port);
    }

    async Task<IReadOnlyList<WebOption>> ActualAsync(CancellationToken ct)
    {
        var settings = await _eb.DescribeConfigurationSettingsAsync(new DescribeConfigurationSettingsMessage { ApplicationName = Application,
            EnvironmentName = Environment }, ct);
        return (settings.ConfigurationSettings?.FirstOrDefault()?.OptionSettings ?? [])
            .Where(o => o.Namespace != null && o.OptionName != null)
            .Select(o => new WebOption(o.Namespace!, o.OptionName!, o.Value ?? "")).ToList();
    }

    static ConfigurationOptionSetting Setting(WebOption o) => new() { Namespace = o.Namespace, OptionName = o.Name, Value = o.Value };
}
