using System.Text.Json;
using System.Text.Json.Serialization;
using Ops.Aws.Ecs;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>describe-ecs: the stage's cluster, container instances, service with its deployments, and every task of its family.</summary>
public sealed class FleetDescriber(StageContext context)
{
    readonly EcsClient _ecs = new(context.Connection);

    /// <summary>The JSON options of <c>--output json</c>: camelCase, nulls kept, ISO-8601 times.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>Reads the stage's fleet (read-only calls).</summary>
    public async Task<FleetDescription> DescribeAsync(CancellationToken ct)
    {
        var ecs = context.Stack.Ecs;
        var cluster = (await _ecs.DescribeClustersAsync(new DescribeClustersRequest { Clusters = [ecs.Cluster] },
            ct)).Clusters?.FirstOrDefault(c => c.Status != "INACTIVE");
        if (cluster == null) return new FleetDescription(context.Stack.Stage, null, [], null, []);

        var instances = new List<InstanceSummary>();
        var arns = await _ecs.ListContainerInstancesItemsAsync(new ListContainerInstancesRequest { Cluster = ecs.Cluster }, ct).ToListAsync(ct);
        foreach (var chunk in arns.Chunk(100))
        {
            var page = await _ecs.DescribeContainerInstancesAsync(new DescribeContainerInstancesRequest { Cluster = ecs.Cluster,
                ContainerInstances = chunk.ToList() }, ct);
            instances.AddRange((page.ContainerInstances ?? [])
                .Select(i => new InstanceSummary(i.Ec2InstanceId ?? "", i.Status ?? "", i.AgentConnected ?? false, i.RunningTasksCount ?? 0, i.PendingTasksCount
                ?? 0)));
        }

        var service = (await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = ecs.Cluster, Services = [ecs.Service] },
            ct)).Services?.FirstOrDefault(s => s.Status != "INACTIVE");
        var serviceSummary = service == null ? null : new ServiceSummary(
            service.ServiceName ?? ecs.Service, service.Status ?? "", service.LaunchType, service.DesiredCount ?? 0, service.RunningCount ?? 0,
                service.PendingCount ?? 0, service.TaskDefinition,
            (service.Deployments ?? []).Select(d => new DeploymentSummary(
                d.Id ?? "", d.Status ?? "", d.RolloutState, d.RolloutStateReason, d.TaskDefinition, d.DesiredCount ?? 0, d.RunningCount ?? 0, d.PendingCount
                    ?? 0)).ToList());

        var taskArns = new List<string>();
        foreach (var desired in new[] { "RUNNING", "STOPPED" })
            taskArns.AddRange(await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = ecs.Cluster, Family = ecs.TaskFamily, DesiredStatus = desired },
                ct).ToListAsync(ct));
        var tasks = new List<TaskSummary>();
        var images = new Dictionary<string, string?>();
        foreach (var chunk in taskArns.Distinct().Chunk(100))
            foreach (var t in (await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = ecs.Cluster, Tasks = chunk.ToList() }, ct)).Tasks ?? [])
            {
                var container = t.Containers?.FirstOrDefault(c => c.Name == ecs.ContainerName) ?? t.Containers?.FirstOrDefault();
                var image = container?.Image ?? await ImageOfAsync(t.TaskDefinitionArn, images, ct);
                var digest = container?.ImageDigest ?? (image?.IndexOf("@sha256:", StringComparison.Ordinal) is int at and >= 0 ? image[(at + 1)..] : null);
                tasks.Add(new TaskSummary(
                    t.TaskArn?.Split('/')[^1] ?? "", t.LastStatus ?? "", t.DesiredStatus ?? "", t.TaskDefinitionArn?.Split('/')[^1], image, digest, t.StartedAt,
                    t.HealthStatus, t.Attributes?.FirstOrDefault(a => a.Name == "ops.runner")?.Value, t.StoppedReason, container?.ExitCode));
            }
        tasks = tasks.OrderBy(t => t.DesiredStatus == "RUNNING" ? 0 : 1).ThenByDescending(t => t.StartedAt).ToList();
        tasks = await WithDrainAsync(tasks, ct);

        return new FleetDescription(context.Stack.Stage,
            new ClusterSummary(cluster.ClusterName ?? ecs.Cluster, cluster.Status ?? "", cluster.RegisteredContainerInstancesCount ?? 0,
                cluster.ActiveServicesCount ?? 0,
                cluster.RunningTasksCount ?? 0, cluster.PendingTasksCount ?? 0),
            instances, serviceSummary, tasks);
    }

    /// <summary>Each task's drain: its state in the newest rollout record (acknowledgements not yet recorded count) and its scale-in protection now.</summary>
    async Task<List<TaskSummary>> WithDrainAsync(List<TaskSummary> tasks, CancellationToken ct)
    {
        if (tasks.Count == 0) return tasks;
        using var store = new Rollout.RolloutStore(context);
        var record = await store.ExistsAsync(ct) ? await store.NewestAsync(ct) : null;
        var acked = record is { Phase: Rollout.RolloutPhase.Draining }
            ? (await store.AcksAsync(record.RolloutId, ct)).ToDictionary(a => a.TaskId, a => a.AckedAt) : [];
        var live = tasks.Where(t => t.DesiredStatus == "RUNNING").Select(t => t.Id).ToList();
        var held = await new Rollout.ServiceTasks(context, _ecs).ProtectedAsync(live, ct);
        return tasks.Select(t =>
        {
            var isProtected = held.TryGetValue(t.Id, out var until);
            string state;
            DateTimeOffset? since = null;
            if (record != null && record.Tasks.TryGetValue(t.Id, out var drain))
            {
                state = drain.State;
                since = drain.AckedAt ?? drain.KillSentAt;
                if (state == Rollout.TaskDrainState.Pending && acked.TryGetValue(t.Id, out var at)) (state, since) = (Rollout.TaskDrainState.Acknowledged, at);
            }
            else state = isProtected ? Rollout.TaskDrainState.Protected : "none";
            return t with { Drain = new TaskDrainSummary(state, record?.RolloutId, since, isProtected, isProtected ? until : null) };
        }).ToList();
    }

    /// <summary>Prints the description as a readable table (<paramref name="output"/> text) or as JSON (json).</summary>
    public async Task PrintAsync(bool json, CancellationToken ct)
    {
        var d = await DescribeAsync(ct);
        if (json)
        {
            context.Log.Data(JsonSerializer.Serialize(d, Json));
            return;
        }
        foreach (var line in Lines(d)) context.Log.Info(line);
    }

    /// <summary>The text form: one block per part, columns aligned.</summary>
    internal static IEnumerable<string> Lines(FleetDescription d)
    {
        if (d.Cluster is not { } c)
        {
            yield return $"stage {d.Stage}: no cluster (run create-ecs)";
            yield break;
        }
        yield return $"cluster   {c.Name}  {c.Status}  instances {c.RegisteredInstances}  services {c.ActiveServices}  tasks {c.RunningTasks} running, {c.PendingTasks} pending";
        foreach (var i in d.Instances)
            yield return $"instance  {i.Ec2InstanceId}  {i.Status}  agent {(i.AgentConnected ? "connected" : "disconnected")}  tasks {i.RunningTasks} running, {i.PendingTasks} pending";
        if (d.Service is { } s)
        {
            yield return $"service   {s.Name}  {s.Status}  {s.LaunchType}  desired {s.Desired}  running {s.Running}  pending {s.Pending}";
            foreach (var dep in s.Deployments)
                yield return $"  deployment {dep.Status,-8} {dep.RolloutState ?? "-",-12} {dep.TaskDefinition?.Split('/')[^1]}  desired {dep.Desired} running {dep.Running} pending {dep.Pending}{(dep.RolloutStateReason is { } r ? $"  ({r})" : "")}";
        }
        else yield return "service   (none)";
        if (d.Tasks.Count == 0) yield return "tasks     (none)";
        else yield return $"{"TASK",-32}  {"STATUS",-8}  {"DESIRED",-8}  {"DEFINITION",-24}  {"STARTED",-20}  {"HEALTH",-8}  {"RUNNER",-13}  {"DIGEST",-19}  {"DRAIN",-12}  STOPPED";
        foreach (var t in d.Tasks)
            yield return $"{t.Id,-32}  {t.LastStatus,-8}  {t.DesiredStatus,-8}  {t.TaskDefinition,-24}  {t.StartedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") ?? "-",-20}  {t.Health ?? "-",-8}  {t.Runner ?? "-",-13}  {(t.ImageDigest is { } g ? g[..Math.Min(19, g.Length)] : "-"),-19}  {DrainText(t.Drain),-12}  {t.StoppedReason}{(t.ExitCode is { } x ? $" (exit {x})" : "")}";
    }

    static string DrainText(TaskDrainSummary? d) => d == null ? "-" : d.Protected && d.State != "protected" ? $"{d.State}+protected" : d.State;

    async Task<string?> ImageOfAsync(string? taskDefinition, Dictionary<string, string?> cache, CancellationToken ct)
    {
        if (taskDefinition == null) return null;
        if (!cache.TryGetValue(taskDefinition, out var image))
        {
            var definition = (await _ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = taskDefinition }, ct)).TaskDefinition;
            cache[taskDefinition] = image = definition?.ContainerDefinitions?.FirstOrDefault(c => c.Name == context.Stack.Ecs.ContainerName)?.Image;
        }
        return image;
    }
}
