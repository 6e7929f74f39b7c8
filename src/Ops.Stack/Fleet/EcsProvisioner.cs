using Ops.Aws.CloudWatchLogs;
using Ops.Aws.Ecs;
using Ops.Aws.Lookups;
using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Model;

namespace Ops.Stack.Fleet;

/// <summary>
/// create-ecs: the cluster (Container Insights), the awslogs log group, the task definition (image pinned by digest,
/// environment, awslogs, cpu/memory, stop timeout) and the service (desired count, circuit breaker with rollback).
/// A revision is registered only when the latest ACTIVE one differs; the service is updated only when it drifted.
/// </summary>
public sealed class EcsProvisioner(StageContext context, string? pinnedImage = null)
{
    /// <summary>The stream prefix of the awslogs driver: streams are worker/&lt;container&gt;/&lt;task id&gt;.</summary>
    public const string StreamPrefix = "worker";

    readonly EcsClient _ecs = new(context.Connection);
    readonly CloudWatchLogsClient _logs = new(context.Connection);

    /// <summary>The service's launch type and network (the stack's ecs.launch-type, else the cloud's).</summary>
    WorkerLaunch Launch => WorkerLaunch.Of(context.Stack.Ecs, context.TasksRunAsProcesses);

    /// <summary>Creates or corrects the stage's ECS resources; returns every change made (or, on a dry run, that would be made).</summary>
    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var stack = context.Stack;
        var ecs = stack.Ecs;
        var changes = new List<Change>();

        // Everything is read and compared before the first change.
        // recreate pins the image recorded at deploy time; a local command (LocalCloud without an image) is resolved again.
        var image = pinnedImage != null && !LocalCommandImage.IsLocalCommand(pinnedImage)
            ? new WorkerImage(pinnedImage, new Dictionary<string, string>())
            : await new WorkerImageResolver(context).ResolveAsync(cancellationToken);
        var wanted = ContainerDefinition(image);
        var cluster = await ClusterAsync(cancellationToken);
        var logGroup = await LogGroupAsync(cancellationToken);
        var latest = await LatestAsync(cancellationToken);
        var service = cluster == null ? null : await ServiceAsync(cancellationToken);
        if (service?.Status == "DRAINING")
            throw new CloudStateException($"service {ecs.Service} is still being deleted (DRAINING); run create-ecs again once describe-ecs no longer shows it.");

        if (cluster == null)
        {
            var change = new Change($"cluster {ecs.Cluster}", "cluster", null, "Container Insights enabled");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, () => _ecs.CreateClusterAsync(new CreateClusterRequest
            {
                ClusterName = ecs.Cluster,
                Settings = [new ClusterSetting { Name = "containerInsights", Value = "enabled" }],
                Tags = EcsTags(),
            }, cancellationToken));
        }
        else if (cluster.Settings?.FirstOrDefault(s => s.Name == "containerInsights")?.Value is { } insights && insights != "enabled")
            context.Log.Warning($"cluster {ecs.Cluster}: containerInsights is {insights}, the stack wants enabled; change it in the console or with aws ecs update-cluster-settings.");

        if (logGroup == null)
        {
            var change = new Change($"log group {ecs.LogGroup}", "log group", null, $"retention {ecs.LogRetentionDays} days");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await _logs.CreateLogGroupAsync(new CreateLogGroupRequest { LogGroupName = ecs.LogGroup, Tags = stack.Tags.ToDictionary() }, cancellationToken);
                await _logs.PutRetentionPolicyAsync(new PutRetentionPolicyRequest { LogGroupName = ecs.LogGroup, RetentionInDays = ecs.LogRetentionDays },
                    cancellationToken);
            });
        }
        else if (logGroup.RetentionInDays != ecs.LogRetentionDays)
        {
            var change = new Change($"log group {ecs.LogGroup}", "retention days", logGroup.RetentionInDays?.ToString() ?? "(never expire)", ecs.LogRetentionDays.ToString());
            changes.Add(change);
            var retention = new PutRetentionPolicyRequest { LogGroupName = ecs.LogGroup, RetentionInDays = ecs.LogRetentionDays };
            await Mutation.ApplyAsync(context, change, () => _logs.PutRetentionPolicyAsync(retention, cancellationToken));
        }

        var taskDefinition = latest?.TaskDefinitionArn;
        var roles = await RolesAsync(cancellationToken);
        var definitionDrift = latest == null ? null : TaskDefinitionDiff.Between(latest, wanted, Cpu, Memory, roles, Launch.NetworkMode);
        if (latest == null || definitionDrift!.Count > 0)
        {
            var found = latest == null
                ? [new Change($"task definition {ecs.TaskFamily}", "revision", null, $"a new revision, image {wanted.Image}")]
                : definitionDrift!.Select(d => d with { Resource = $"task definition {ecs.TaskFamily}:{latest.Revision}" }).ToList();
            changes.AddRange(found);
            taskDefinition = $"(new revision of {ecs.TaskFamily})";
            await Mutation.ApplyAsync(context, found, async () =>
            {
                var registered = await RegisterAsync(wanted, cancellationToken);
                taskDefinition = registered.TaskDefinitionArn;
                await new Lifecycle.DeployedVersions(context).RecordWorkerAsync(image.Image, cancellationToken);
            });
        }

        if (service == null || service.Status != "ACTIVE")
        {
            var network = Launch.Awsvpc ? await new TaskNetwork(context).EnsureAsync(changes, cancellationToken) : null;
            var where = network == null ? "" : $" in {string.Join(", ", network.AwsvpcConfiguration!.Subnets!)}";
            var change = new Change($"service {ecs.Service}", "service", null,
                $"{ecs.DesiredCount} task(s) of {taskDefinition}, {Launch.LaunchType}{where}, circuit breaker with rollback");
            changes.Add(change);
            if (context.TasksRunAsProcesses && Launch.LaunchType == "EC2" && (cluster?.RegisteredContainerInstancesCount ?? 0) == 0)
                context.Log.Warning($"service {ecs.Service}: ecs.launch-type is EC2 and cluster {ecs.Cluster} has no container instance; the tasks stay "
                    + "pending until an ECS agent registers one. Leave ecs.launch-type unset to have the local cloud run them as processes.");
            await Mutation.ApplyAsync(context, change, () => _ecs.CreateServiceAsync(new CreateServiceRequest
            {
                Cluster = ecs.Cluster,
                ServiceName = ecs.Service,
                TaskDefinition = taskDefinition,
                DesiredCount = ecs.DesiredCount,
                LaunchType = Launch.LaunchType,
                NetworkConfiguration = network,
                SchedulingStrategy = "REPLICA",
                DeploymentConfiguration = Deployment(),
                Tags = EcsTags(),
                PropagateTags = "SERVICE",
            }, cancellationToken));
        }
        else
        {
            var drift = ServiceDrift(service, taskDefinition!);
            if (service.LaunchType is { } launch && launch != Launch.LaunchType)
                context.Log.Warning($"service {ecs.Service}: launch type is {launch}, the stack wants {Launch.LaunchType}; ECS cannot change it — run terminate-ecs, then create-ecs.");
            if (drift.Count > 0)
            {
                changes.AddRange(drift);
                await Mutation.ApplyAsync(context, drift, () => _ecs.UpdateServiceAsync(new UpdateServiceRequest
                {
                    Cluster = ecs.Cluster,
                    Service = ecs.Service,
                    TaskDefinition = taskDefinition,
                    DesiredCount = ecs.DesiredCount,
                    DeploymentConfiguration = Deployment(),
                }, cancellationToken));
            }
        }

        if (changes.Count == 0) context.Log.Info($"ecs {ecs.Cluster}/{ecs.Service}: up to date ({latest!.Family}:{latest.Revision}, {ecs.DesiredCount} task(s))");
        else if (!context.DryRun && context.WaitForService) await WaitStableAsync(cancellationToken);
        return changes;
    }

    /// <summary>Registers a new revision of the family with <paramref name="container"/> (create-ecs and update-ecs alike) and says so.</summary>
    internal async Task<TaskDefinition> RegisterAsync(ContainerDefinition container, CancellationToken cancellationToken)
    {
        var ecs = context.Stack.Ecs;
        var roles = await RolesAsync(cancellationToken);
        var registered = (await _ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest
        {
            Family = ecs.TaskFamily,
            ContainerDefinitions = [container],
            Cpu = Cpu,
            Memory = Memory,
            TaskRoleArn = roles.TaskRoleArn,
            ExecutionRoleArn = roles.ExecutionRoleArn,
            RequiresCompatibilities = Launch.Compatibilities(context.TasksRunAsProcesses),
            NetworkMode = Launch.NetworkMode,
            Tags = EcsTags(),
        }, cancellationToken)).TaskDefinition!;
        context.Log.Info($"registered {ecs.TaskFamily}:{registered.Revision}");
        return registered;
    }

    string? _account;

    /// <summary>The stage's worker task and execution roles (create-iam makes them) in this account, looked up once per provisioner.</summary>
    async Task<TaskRoles> RolesAsync(CancellationToken ct) => TaskRoles.Of(context.Stack, _account ??= await AccountId.OfAsync(context, ct));

    string Cpu => context.Stack.Ecs.Cpu.ToString();

    string Memory => context.Stack.Ecs.Memory.ToString();

    /// <summary>The worker container as the stack wants it (the fields compared with the latest revision).</summary>
    internal ContainerDefinition ContainerDefinition(WorkerImage image)
    {
        var stack = context.Stack;
        return new ContainerDefinition
        {
            Name = stack.Ecs.ContainerName,
            Image = image.Image,
            Essential = true,
            Cpu = stack.Ecs.Cpu,
            Memory = stack.Ecs.Memory,
            StopTimeout = stack.Ecs.StopTimeoutSeconds,
            Environment = Environment(stack).Select(e => new EcsKeyValuePair { Name = e.Key, Value = e.Value }).ToList(),
            LogConfiguration = new LogConfiguration
            {
                LogDriver = "awslogs",
                Options = new() { ["awslogs-group"] = stack.Ecs.LogGroup, ["awslogs-region"] = context.Connection.Region, ["awslogs-stream-prefix"] = StreamPrefix },
            },
            DockerLabels = image.Labels.Count == 0 ? null : image.Labels.ToDictionary(),
        };
    }

    /// <summary>The worker's environment, ordered by name: the stack's, then the OPS_* names Ops.Worker reads (these win).</summary>
    internal static SortedDictionary<string, string> Environment(StageStack stack)
    {
        var environment = new SortedDictionary<string, string>(stack.Ecs.Environment.ToDictionary(), StringComparer.Ordinal)
        {
            ["OPS_STAGE"] = stack.Stage,
            ["OPS_WORK_QUEUE"] = stack.Queues.Work.Name,
            ["OPS_REPORT_QUEUE"] = stack.Queues.Report.Name,
            ["OPS_WORKER_LOG_TABLE"] = stack.WorkerLogTable,
            ["OPS_DRAIN"] = DrainStrategies.Name(stack.Worker.Strategy),
        };
        return environment;
    }

    DeploymentConfiguration Deployment() => new()
    {
        DeploymentCircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
        MinimumHealthyPercent = context.Stack.Ecs.MinimumHealthyPercent,
        MaximumPercent = context.Stack.Ecs.MaximumPercent,
    };

    List<Tag> EcsTags() => context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();

    List<Change> ServiceDrift(Service service, string taskDefinition)
    {
        var ecs = context.Stack.Ecs;
        var resource = $"service {ecs.Service}";
        var drift = new List<Change>();
        if (service.DesiredCount != ecs.DesiredCount) drift.Add(new Change(resource, "desired count", service.DesiredCount?.ToString() ?? "(unset)", ecs.DesiredCount.ToString()));
        if (service.TaskDefinition != taskDefinition) drift.Add(new Change(resource, "task definition", service.TaskDefinition ?? "(unset)", taskDefinition));
        var d = service.DeploymentConfiguration;
        if (d?.DeploymentCircuitBreaker?.Enable != true || d.DeploymentCircuitBreaker.Rollback != true)
            drift.Add(new Change(resource, "circuit breaker", $"enable={d?.DeploymentCircuitBreaker?.Enable ?? false} rollback={d?.DeploymentCircuitBreaker?.Rollback ?? false}", "enable=true rollback=true"));
        if (d?.MinimumHealthyPercent != ecs.MinimumHealthyPercent) drift.Add(new Change(resource, "minimum healthy percent", d?.MinimumHealthyPercent?.ToString() ?? "(unset)",
            ecs.MinimumHealthyPercent.ToString()));
        if (d?.MaximumPercent != ecs.MaximumPercent) drift.Add(new Change(resource, "maximum percent", d?.MaximumPercent?.ToString() ?? "(unset)", ecs.MaximumPercent.ToString()));
        return drift;
    }

    async Task<Cluster?> ClusterAsync(CancellationToken ct) =>
        (await _ecs.DescribeClustersAsync(new DescribeClustersRequest { Clusters = [context.Stack.Ecs.Cluster], Include = ["SETTINGS"] }, ct)).Clusters?
            .FirstOrDefault(c => c.Status == "ACTIVE");

    async Task<LogGroup?> LogGroupAsync(CancellationToken ct) =>
        (await _logs.DescribeLogGroupsAsync(new DescribeLogGroupsRequest { LogGroupNamePrefix = context.Stack.Ecs.LogGroup }, ct)).LogGroups?
            .FirstOrDefault(g => g.LogGroupName == context.Stack.Ecs.LogGroup);

    /// <summary>The family's latest ACTIVE revision, or null when it has none.</summary>
    async Task<TaskDefinition?> LatestAsync(CancellationToken ct)
    {
        try
        {
            var latest = (await _ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = context.Stack.Ecs.TaskFamily },
                ct)).TaskDefinition;
            return latest?.Status == "ACTIVE" ? latest : null;
        }
        catch (Exception e) when (AwsErrors.Is(e, "ClientException", "InvalidParameterException"))
        {
            return null;
        }
    }

    Task<Service?> ServiceAsync(CancellationToken ct) => EcsLookup.ServiceAsync(_ecs, context.Stack.Ecs.Cluster, context.Stack.Ecs.Service, ct);

    /// <summary>Waits until the primary deployment runs the desired count (its rollout COMPLETED); a FAILED rollout is an error.</summary>
    Task WaitStableAsync(CancellationToken ct) =>
        Waiting.UntilAsync(context, $"service {context.Stack.Ecs.Service}", async token =>
        {
            var service = (await ServiceAsync(token))!;
            var primary = service.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY");
            if (primary?.RolloutState == "FAILED")
                throw new CloudStateException($"service {context.Stack.Ecs.Service}: the deployment failed ({primary.RolloutStateReason}); the circuit breaker rolled it back — see describe-ecs and the log group {context.Stack.Ecs.LogGroup}.");
            var done = service.Deployments?.Count == 1 && primary?.RunningCount == service.DesiredCount;
            return (done, $"{service.RunningCount} running, {service.PendingCount} pending of {service.DesiredCount}{(primary?.RolloutState is { } r ? $", rollout {r}" : "")}");
        }, ct);
}
