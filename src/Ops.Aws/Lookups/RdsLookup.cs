using Ops.Aws.Rds;

namespace Ops.Aws.Lookups;

/// <summary>RDS resources by name: null when there is none.</summary>
public static class RdsLookup
{
    public static async Task<DBInstance?> InstanceAsync(RdsClient rds, string id, CancellationToken ct)
    {
        try
        {
            return (await rds.DescribeDBInstancesAsync(new DescribeDBInstancesMessage { DBInstanceIdentifier = id },
                ct).ConfigureAwait(false)).DBInstances?.FirstOrDefault();
        }
        catch (Exception e) when (AwsErrors.Is(e, "DBInstanceNotFound", "DBInstanceNotFoundFault"))
        {
            return null;
        }
    }
}
