using Ops.Aws.Ecs;
using Ops.Aws.Lookups;
using Ops.Stack.Core;

namespace Ops.Stack.Rollout;

/// <summary>Reads the service's tasks (ListTasks + DescribeTasks, paginated, 100 a call) and its deployments.</summary>
internal sealed class ServiceTasks(StageContext context, EcsClient ecs)
{
    /// <summary>The service's tasks that are RUNNING or on their way (desired RUNNING).</summary>
    public Task<IReadOnlyList<LiveTask>> RunningAsync(CancellationToken ct) => ListAsync("RUNNING", ct);

    /// <summary>The service's tasks that have stopped (ECS keeps them about an hour).</summary>
    public Task<IReadOnlyList<LiveTask>> StoppedAsync(CancellationToken ct) => ListAsync("STOPPED", ct);

    async Task<IReadOnlyList<LiveTask>> ListAsync(string desired, CancellationToken ct)
    {
        var e = context.Stack.Ecs;
        List<string> arns;
        try
        {
            arns = await ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = e.Cluster, ServiceName = e.Service, DesiredStatus = desired },
                ct).ToListAsync(ct);
        }
        catch (Exception x) when (AwsErrors.Is(x, "ClusterNotFoundException", "ServiceNotFoundException"))
        {
            throw new CloudStateException($"service {e.Service} of cluster {e.Cluster} does not exist; run create-ecs first.");
        }
        return await DescribeAsync(arns, ct);
    }

    /// <summary>The tasks <paramref name="ids"/> (ids or ARNs) as they are now; ones ECS no longer knows are left out.</summary>
    public async Task<IReadOnlyList<LiveTask>> DescribeAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var container = context.Stack.Ecs.ContainerName;
        var tasks = new List<LiveTask>();
        foreach (var chunk in ids.Distinct().Chunk(100))
            foreach (var t in (await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = context.Stack.Ecs.Cluster, Tasks = chunk.ToList() }, ct)).Tasks
                ?? [])
            {
                var c = t.Containers?.FirstOrDefault(x => x.Name == container) ?? t.Containers?.FirstOrDefault();
                tasks.Add(new LiveTask(t.TaskArn?.Split('/')[^1] ?? "", t.TaskArn ?? "", LiveTask.RevisionOf(t.TaskDefinitionArn), t.TaskDefinitionArn ?? "",
                    t.LastStatus ?? "", t.DesiredStatus ?? "", t.StartedBy, t.StoppedReason, t.StopCode, c?.ExitCode));
            }
        return tasks;
    }

    /// <summary>The service, or a <see cref="CloudStateException"/> naming create-ecs when it is missing.</summary>
    public async Task<Service> ServiceAsync(CancellationToken ct)
    {
        var e = context.Stack.Ecs;
        try
        {
            var service = (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = e.Cluster, Services = [e.Service] },
                ct)).Services?.FirstOrDefault(s => s.Status == "ACTIVE");
            return service ?? throw new CloudStateException($"service {e.Service} of cluster {e.Cluster} does not exist; run create-ecs first.");
        }
        catch (Exception x) when (AwsErrors.Is(x, "ClusterNotFoundException"))
        {
            throw new CloudStateException($"cluster {e.Cluster} does not exist; run create-ecs first.");
        }
    }

    /// <summary>Which of <paramref name="ids"/> hold scale-in protection now, with until when (GetTaskProtection, 10 a call).</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset?>> ProtectedAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var found = new Dictionary<string, DateTimeOffset?>();
        foreach (var chunk in ids.Distinct().Chunk(10))
        {
            var answer = await ecs.GetTaskProtectionAsync(new GetTaskProtectionRequest { Cluster = context.Stack.Ecs.Cluster, Tasks = chunk.ToList() }, ct);
            foreach (var p in answer.ProtectedTasks ?? [])
                if (p.ProtectionEnabled == true) found[p.TaskArn?.Split('/')[^1] ?? ""] = p.ExpirationDate;
        }
        return found;
    }
}
