using Ops.Aws.Ecs;

namespace Ops.Aws.Lookups;

/// <summary>ECS resources by name: null when there is none.</summary>
public static class EcsLookup
{
    /// <summary>The service as ECS describes it (any status, INACTIVE included); null when it or its cluster is unknown.</summary>
    public static async Task<Service?> ServiceAsync(EcsClient ecs, string cluster, string service, CancellationToken ct)
    {
        try
        {
            return (await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = [service] },
                ct).ConfigureAwait(false)).Services?.FirstOrDefault();
        }
        catch (Exception e) when (AwsErrors.Is(e, "ClusterNotFoundException"))
        {
            return null;
        }
    }
}
