namespace Ops.Stack.Model;

/// <summary>
/// The stage's security groups for the web tier and the data stores. Each data store's group admits its port only from
/// the web group and the workers' group (<c>instances.security-group</c>), never from an address range.
/// </summary>
public sealed record SecurityGroupsSpec
{
    /// <summary>The Elastic Beanstalk instances' group (<c>iotile-web-{stage}</c>).</summary>
    public required string Web { get; init; }

    /// <summary>RDS PostgreSQL's group: 5432 from web and workers (<c>iotile-db-{stage}</c>).</summary>
    public required string Database { get; init; }

    /// <summary>ElastiCache Redis's group: 6379 from web and workers (<c>iotile-cache-{stage}</c>).</summary>
    public required string Cache { get; init; }

    /// <summary>Both Redshift clusters' group: 5439 from web and workers (<c>iotile-redshift-{stage}</c>).</summary>
    public required string Warehouse { get; init; }
}
