using Ops.Aws.ElastiCache;

namespace Ops.Aws.Lookups;

/// <summary>ElastiCache resources by name: null when there is none.</summary>
public static class ElastiCacheLookup
{
    public static async Task<ReplicationGroup?> ReplicationGroupAsync(ElastiCacheClient cache, string id, CancellationToken ct)
    {
        try
        {
            return (await cache.DescribeReplicationGroupsAsync(new DescribeReplicationGroupsMessage { ReplicationGroupId = id }, ct).ConfigureAwait(false))
                .ReplicationGroups?.FirstOrDefault();
        }
        catch (Exception e) when (AwsErrors.Is(e, "ReplicationGroupNotFoundFault", "ReplicationGroupNotFound"))
        {
            return null;
        }
    }
}
