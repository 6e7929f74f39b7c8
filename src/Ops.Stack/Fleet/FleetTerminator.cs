using Ops.Aws.Ec2;
using Ops.Aws.Ecs;
using Ops.Aws.Lookups;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>
/// terminate-ecs: scales the stage's service to 0 and waits for its tasks to stop, deletes it, deregisters every ACTIVE
/// revision of the family and terminates the stage's container instances. Cluster, log group, queues, repository and table stay.
/// Every step looks at what is left, so a run after a partial one finishes the job.
/// </summary>
public sealed class FleetTerminator(StageContext context)
{
    readonly EcsClient _ecs = new(context.Connection);
    readonly Ec2Client _ec2 = new(context.Connection);

    /// <summary>Removes the stage's workers; returns every change made (or, on a dry run, that would be made).</summary>
    public async Task<IReadOnlyList<Change>> TerminateAsync(CancellationToken cancellationToken)
    {
        var ecs = context.Stack.Ecs;
        var changes = new List<Change>();

        // Read the whole plan first.
        var service = await ServiceAsync(cancellationToken);
        var revisions = (await _ecs.ListTaskDefinitionsItemsAsync(new ListTaskDefinitionsRequest { FamilyPrefix = ecs.TaskFamily, Status = "ACTIVE" },
            cancellationToken).ToListAsync(cancellationToken))
            .Where(arn => arn.Split('/')[^1].Split(':')[0] == ecs.TaskFamily).ToList();
        var instances = await InstanceProvisioner.FindInstancesAsync(_ec2, context, ["pending", "running", "stopping", "stopped"], cancellationToken);

        if (service != null)
        {
            var resource = $"service {ecs.Service}";
            if (service.DesiredCount != 0)
            {
                var scale = new Change(resource, "desired count", service.DesiredCount.ToString(), "0");
                changes.Add(scale);
                var update = new UpdateServiceRequest { Cluster = ecs.Cluster, Service = ecs.Service, DesiredCount = 0 };
                await Mutation.ApplyAsync(context, scale, () => _ecs.UpdateServiceAsync(update, cancellationToken));
            }
            if (!context.DryRun) await WaitTasksStoppedAsync(cancellationToken);
            var delete = new Change(resource, "status", service.Status ?? "ACTIVE", "deleted");
            changes.Add(delete);
            await Mutation.ApplyAsync(context, delete,
                () => _ecs.DeleteServiceAsync(new DeleteServiceRequest { Cluster = ecs.Cluster, Service = ecs.Service }, cancellationToken));
        }
        foreach (var arn in revisions)
        {
            var change = new Change($"task definition {arn.Split('/')[^1]}", "status", "ACTIVE", "INACTIVE");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change,
                () => _ecs.DeregisterTaskDefinitionAsync(new DeregisterTaskDefinitionRequest { TaskDefinition = arn }, cancellationToken));
        }
        if (instances.Count > 0)
        {
            var ids = instances.Select(i => i.InstanceId!).ToList();
            var change = new Change($"instances of {ecs.Cluster}", "state", string.Join(", ", instances.Select(i => $"{i.InstanceId} {i.State?.Name}")), "terminated");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ids }, cancellationToken);
                await Waiting.UntilAsync(context, $"{ids.Count} instance(s)", async token =>
                {
                    var states = ((await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ids }, token)).Reservations ?? [])
                        .SelectMany(r => r.Instances ?? []).Select(i => i.State?.Name ?? "unknown").ToList();
                    return (states.All(s => s == "terminated"), string.Join(", ", states.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
                }, cancellationToken);
            });
        }
        context.Log.Info(changes.Count == 0
            ? $"stage {context.Stack.Stage}: nothing to terminate (no service, task definition or instance left)"
            : $"kept: cluster {ecs.Cluster}, log group {ecs.LogGroup}, queues, repository {context.Stack.Repository.Name}, table {context.Stack.WorkerLogTable}");
        return changes;
    }

    /// <summary>The stage's service while ACTIVE; null when it or its cluster is gone.</summary>
    internal async Task<Service?> ServiceAsync(CancellationToken ct) =>
        await EcsLookup.ServiceAsync(_ecs, context.Stack.Ecs.Cluster, context.Stack.Ecs.Service, ct) is { Status: "ACTIVE" } service ? service : null;

    Task WaitTasksStoppedAsync(CancellationToken ct) =>
        Waiting.UntilAsync(context, $"tasks of {context.Stack.Ecs.Service}", async token =>
        {
            var ecs = context.Stack.Ecs;
            var arns = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = ecs.Cluster, ServiceName = ecs.Service, DesiredStatus = "RUNNING" },
                token).ToListAsync(token);
            var stopping = await _ecs.ListTasksItemsAsync(new ListTasksRequest { Cluster = ecs.Cluster, ServiceName = ecs.Service, DesiredStatus = "STOPPED" },
                token).ToListAsync(token);
            var live = new List<string>();
            foreach (var chunk in arns.Concat(stopping).Distinct().Chunk(100))
                live.AddRange(((await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = ecs.Cluster, Tasks = chunk.ToList() }, token)).Tasks ?? [])
                    .Where(t => t.LastStatus != "STOPPED").Select(t => t.LastStatus ?? "unknown"));
            return (live.Count == 0, live.Count == 0 ? "all stopped" : string.Join(", ", live.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
        }, ct);
}
