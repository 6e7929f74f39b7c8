using Ops.Stack.Core;
using Ops.Stack.Fleet;

namespace Ops.Stack.Status;

/// <summary>The worker service's status row: the cluster and service as ECS describes them, healthy when it runs its desired count.</summary>
internal sealed class FleetStatus(StageContext context) : IStatusSource
{
    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var fleet = await new FleetDescriber(context).DescribeAsync(cancellationToken);
        var ecs = context.Stack.Ecs;
        var rows = new List<ResourceStatus>
        {
            fleet.Cluster is { } cluster
                ? new ResourceStatus("ecs-cluster", ecs.Cluster, true, cluster.Status, cluster.Status == "ACTIVE", [])
                : ResourceStatus.Missing("ecs-cluster", ecs.Cluster),
        };
        if (fleet.Service is not { } service || service.Status == "INACTIVE")
        {
            rows.Add(ResourceStatus.Missing("ecs-service", ecs.Service));
            return rows;
        }
        IReadOnlyList<string> drift = service.Desired == ecs.DesiredCount ? [] : [$"desired count: {service.Desired} → {ecs.DesiredCount}"];
        var state = $"{service.Status} {service.Running}/{service.Desired} running{(service.Deployments.Count > 1 ? $", {service.Deployments.Count} deployments" : "")}";
        rows.Add(new ResourceStatus("ecs-service", ecs.Service, true, state, service.Running == service.Desired && service.Deployments.Count == 1 && drift.Count == 0,
            drift));
        return rows;
    }
}
