namespace Ops.Stack.Model;

/// <summary>A Redshift cluster of the stage (the analytics one and the stream-timeseries one): always encrypted, password in SSM.</summary>
public sealed record WarehouseSpec
{
    /// <summary>The cluster identifier (<c>iotile-redshift-{stage}</c> / <c>iotile-streamtimeseries-{stage}</c>).</summary>
    public required string Cluster { get; init; }

    /// <summary>Node type (ra3.large).</summary>
    public string NodeType { get; init; } = "ra3.large";

    /// <summary>Number of nodes: 1 is a single-node cluster (prod 2).</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>The database created with the cluster (<c>iotile</c>).</summary>
    public string Database { get; init; } = "iotile";

    /// <summary>The master user name (<c>iotile</c>).</summary>
    public string MasterUser { get; init; } = "iotile";

    /// <summary>The secret holding the master password (<c>RedshiftPassword</c> / <c>StreamTimeSeriesPassword</c>).</summary>
    public required string PasswordSecret { get; init; }
}
