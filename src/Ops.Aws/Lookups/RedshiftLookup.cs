using Ops.Aws.Redshift;

namespace Ops.Aws.Lookups;

/// <summary>Redshift resources by name: null when there is none.</summary>
public static class RedshiftLookup
{
    public static async Task<Cluster?> ClusterAsync(RedshiftClient redshift, string id, CancellationToken ct)
    {
        try
        {
            return (await redshift.DescribeClustersAsync(new DescribeClustersMessage { ClusterIdentifier = id },
                ct).ConfigureAwait(false)).Clusters?.FirstOrDefault();
        }
        catch (Exception e) when (AwsErrors.Is(e, "ClusterNotFound", "ClusterNotFoundFault"))
        {
            return null;
        }
    }
}
