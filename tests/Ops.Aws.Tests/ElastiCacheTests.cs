using Ops.Aws.ElastiCache;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>ElastiCache (awsQuery): create → describe → wait → delete, and the not-found codes waiters rely on.</summary>
public abstract class ElastiCacheTests(ITestCloud moto)
{
    static readonly WaiterOptions Fast = MotoServer.FastWaits;

    [Fact]
    public async Task ElastiCache_clusters_and_replication_groups_round_trip_with_waiters()
    {
        var ec = new ElastiCacheClient(moto.Connection);
        var id = MotoServer.Unique("redis");
        await ec.CreateCacheSubnetGroupAsync(new CreateCacheSubnetGroupMessage { CacheSubnetGroupName = id, CacheSubnetGroupDescription = "ops",
            SubnetIds = await moto.SubnetIds() });
        Assert.Single((await ec.DescribeCacheSubnetGroupsAsync(new DescribeCacheSubnetGroupsMessage { CacheSubnetGroupName = id })).CacheSubnetGroups!);

        var created = await ec.CreateCacheClusterAsync(new CreateCacheClusterMessage
        {
            CacheClusterId = id,
            Engine = "redis",
            CacheNodeType = "cache.t3.micro",
            NumCacheNodes = 1,
            Port = 6379,
            Tags = [new Tag { Key = "Stage", Value = "dev" }],
        });
        Assert.Equal(id, created.CacheCluster!.CacheClusterId);
        await ec.WaitUntilCacheClusterAvailableAsync(new DescribeCacheClustersMessage { CacheClusterId = id }, Fast);
        await ec.AddTagsToResourceAsync(new AddTagsToResourceMessage { ResourceName = created.CacheCluster.ARN, Tags = [new Tag { Key = "Owner", Value = "ops" }] });
        Assert.Contains(await ec.DescribeCacheClustersItemsAsync(new DescribeCacheClustersMessage()).ToListAsync(), c => c.CacheClusterId == id);
        await ec.DeleteCacheClusterAsync(new DeleteCacheClusterMessage { CacheClusterId = id });
        if (moto.IsMoto)
        {
            // moto leaves a deleted cache cluster "deleting" for good (moto-gaps.txt): the waiter must give up with the state it saw.
            var progress = new List<WaiterProgress>();
            var timeout = await Assert.ThrowsAsync<WaiterTimeoutException>(() => ec.WaitUntilCacheClusterDeletedAsync(
                new DescribeCacheClustersMessage { CacheClusterId = id },
                Fast with { MaxWait = TimeSpan.FromSeconds(1), Progress = progress.Add }));
            Assert.Equal("CacheClusters[].CacheClusterStatus = [\"deleting\"]", timeout.LastState);
            Assert.Contains("Waiter CacheClusterDeleted gave up after", timeout.Message);
            Assert.NotEmpty(progress);
            Assert.All(progress, p => Assert.Equal("CacheClusterDeleted", p.Waiter));
            Assert.True(progress[^1].Attempt > progress[0].Attempt);
        }
        else
        {
            await ec.WaitUntilCacheClusterDeletedAsync(new DescribeCacheClustersMessage { CacheClusterId = id }, Fast);
            await AwsAssert.ErrorCode("CacheClusterNotFound", () => ec.DescribeCacheClustersAsync(new DescribeCacheClustersMessage { CacheClusterId = id }));
        }
        await AwsAssert.ErrorCode("CacheClusterNotFound", () => ec.DescribeCacheClustersAsync(new DescribeCacheClustersMessage { CacheClusterId = MotoServer.Unique("none") }));

        var group = MotoServer.Unique("rg");
        await ec.CreateReplicationGroupAsync(new CreateReplicationGroupMessage
        {
            ReplicationGroupId = group,
            ReplicationGroupDescription = "ops",
            Engine = "redis",
            CacheNodeType = "cache.t3.micro",
            NumCacheClusters = 1,
            AtRestEncryptionEnabled = true,
            TransitEncryptionEnabled = true,
        });
        var rg = await ec.WaitUntilReplicationGroupAvailableAsync(new DescribeReplicationGroupsMessage { ReplicationGroupId = group }, Fast);
        Assert.True(rg.ReplicationGroups![0].AtRestEncryptionEnabled);
        Assert.Contains(await ec.DescribeReplicationGroupsItemsAsync(new DescribeReplicationGroupsMessage()).ToListAsync(), g => g.ReplicationGroupId == group);
        await ec.DeleteReplicationGroupAsync(new DeleteReplicationGroupMessage { ReplicationGroupId = group });
        if (moto.IsMoto) // moto keeps it "deleting" too (see above)
            await Assert.ThrowsAsync<WaiterTimeoutException>(() => ec.WaitUntilReplicationGroupDeletedAsync(
                new DescribeReplicationGroupsMessage { ReplicationGroupId = group }, Fast with { MaxWait = TimeSpan.FromMilliseconds(300) }));
        else
            await ec.WaitUntilReplicationGroupDeletedAsync(new DescribeReplicationGroupsMessage { ReplicationGroupId = group }, Fast);
        await AwsAssert.ErrorCode("ReplicationGroupNotFoundFault",
            () => ec.DescribeReplicationGroupsAsync(new DescribeReplicationGroupsMessage { ReplicationGroupId = MotoServer.Unique("none") }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class ElastiCacheTestsOnMoto(MotoServer cloud) : ElastiCacheTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class ElastiCacheTestsOnLocalCloud(LocalCloudTestServer cloud) : ElastiCacheTests(cloud);
