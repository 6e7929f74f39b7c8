using Ops.Aws.Redshift;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>Redshift (awsQuery): create → describe → wait → delete, and the not-found codes waiters rely on.</summary>
public abstract class RedshiftTests(ITestCloud moto)
{
    static readonly WaiterOptions Fast = MotoServer.FastWaits;

    [Fact]
    public async Task Redshift_clusters_round_trip_with_waiters()
    {
        var rs = new RedshiftClient(moto.Connection);
        var id = MotoServer.Unique("streamtimeseries");
        await rs.CreateClusterSubnetGroupAsync(new CreateClusterSubnetGroupMessage { ClusterSubnetGroupName = id, Description = "ops",
            SubnetIds = await moto.SubnetIds() });
        Assert.Single((await rs.DescribeClusterSubnetGroupsAsync(new DescribeClusterSubnetGroupsMessage { ClusterSubnetGroupName = id })).ClusterSubnetGroups!);
        var created = await rs.CreateClusterAsync(new CreateClusterMessage
        {
            ClusterIdentifier = id,
            NodeType = "ra3.xlplus",
            MasterUsername = "iotile",
            MasterUserPassword = "Correct-Horse-9",
            ClusterType = "single-node",
            Encrypted = true,
            ClusterSubnetGroupName = id,
            DBName = "timeseries",
        });
        Assert.True(created.Cluster!.Encrypted);
        var available = await rs.WaitUntilClusterAvailableAsync(new DescribeClustersMessage { ClusterIdentifier = id }, Fast);
        Assert.Equal("available", available.Clusters![0].ClusterStatus);
        await rs.ModifyClusterAsync(new ModifyClusterMessage { ClusterIdentifier = id, AutomatedSnapshotRetentionPeriod = 7 });
        await rs.CreateTagsAsync(new CreateTagsMessage { ResourceName = $"arn:aws:redshift:us-east-1:123456789012:cluster:{id}", Tags = [new Tag { Key = "Stage", Value = "dev" }] });
        Assert.Contains(await rs.DescribeClustersItemsAsync(new DescribeClustersMessage()).ToListAsync(), c => c.ClusterIdentifier == id);

        await rs.DeleteClusterAsync(new DeleteClusterMessage { ClusterIdentifier = id, SkipFinalClusterSnapshot = true });
        await rs.WaitUntilClusterDeletedAsync(new DescribeClustersMessage { ClusterIdentifier = id }, Fast);
        await AwsAssert.ErrorCode("ClusterNotFound", () => rs.DescribeClustersAsync(new DescribeClustersMessage { ClusterIdentifier = id }));
        await rs.DeleteClusterSubnetGroupAsync(new DeleteClusterSubnetGroupMessage { ClusterSubnetGroupName = id });
    }
}

[Collection(MotoCollection.Name)]
public sealed class RedshiftTestsOnMoto(MotoServer cloud) : RedshiftTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class RedshiftTestsOnLocalCloud(LocalCloudTestServer cloud) : RedshiftTests(cloud);
