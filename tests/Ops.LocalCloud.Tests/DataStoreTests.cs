using Ops.Aws.Waiters;
using ElastiCache = Ops.Aws.ElastiCache;
using Rds = Ops.Aws.Rds;
using Redshift = Ops.Aws.Redshift;

namespace Ops.LocalCloud.Tests;

[Collection(LocalCloudCollection.Name)]
public class DataStoreTests(LocalCloudFixture cloud)
{
    static readonly WaiterOptions Fast = new() { MinDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100),
        MaxWait = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Rds_round_trips_through_our_client_and_the_aws_cli_waiters()
    {
        var rds = new Rds.RdsClient(cloud.Connection);
        var id = LocalCloudFixture.Unique("iotile-db");
        await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage
        {
            DBInstanceIdentifier = id,
            DBInstanceClass = "db.t3.micro",
            Engine = "postgres",
            MasterUsername = "iotile",
            MasterUserPassword = "correct-horse",
            AllocatedStorage = 20,
            StorageEncrypted = true,
            Tags = [new Rds.Tag { Key = "Stage", Value = "dev" }],
        });
        await AwsAssert.ErrorCode("DBInstanceAlreadyExists",
            () => rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage { DBInstanceIdentifier = id, DBInstanceClass = "db.t3.micro", Engine = "postgres" }));
        await cloud.Aws("rds", "wait", "db-instance-available", "--db-instance-identifier", id);
        var db = (await rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = id })).DBInstances!.Single();
        Assert.Equal(("available", true, "dev"), (db.DBInstanceStatus, db.StorageEncrypted, db.TagList!.Single().Value));
        Assert.DoesNotContain("correct-horse", System.Text.Json.JsonSerializer.Serialize(db));

        await rds.DeleteDBInstanceAsync(new Rds.DeleteDBInstanceMessage { DBInstanceIdentifier = id, FinalDBSnapshotIdentifier = id + "-final" });
        await cloud.Aws("rds", "wait", "db-instance-deleted", "--db-instance-identifier", id);
        await rds.WaitUntilDBSnapshotAvailableAsync(new Rds.DescribeDBSnapshotsMessage { DBSnapshotIdentifier = id + "-final" }, Fast);
        await AwsAssert.ErrorCode("DBInstanceNotFound", () => rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = id }), 404);
        var (code, _, error) = await cloud.Cli("rds", "describe-db-instances", "--db-instance-identifier", id);
        Assert.NotEqual(0, code);
        Assert.Contains("DBInstanceNotFound", error);
    }

    [Fact]
    public async Task Redshift_and_elasticache_round_trip_with_waiters_from_both_clients()
    {
        var rs = new Redshift.RedshiftClient(cloud.Connection);
        var cluster = LocalCloudFixture.Unique("streamtimeseries");
        await rs.CreateClusterAsync(new Redshift.CreateClusterMessage { ClusterIdentifier = cluster, NodeType = "ra3.xlplus", MasterUsername = "u",
            MasterUserPassword = "P4ssword!", Encrypted = true });
        await cloud.Aws("redshift", "wait", "cluster-available", "--cluster-identifier", cluster);
        await rs.DeleteClusterAsync(new Redshift.DeleteClusterMessage { ClusterIdentifier = cluster, SkipFinalClusterSnapshot = true });
        await rs.WaitUntilClusterDeletedAsync(new Redshift.DescribeClustersMessage { ClusterIdentifier = cluster }, Fast);

        var ec = new ElastiCache.ElastiCacheClient(cloud.Connection);
        var redis = LocalCloudFixture.Unique("redis");
        await cloud.Aws("elasticache", "create-cache-cluster", "--cache-cluster-id", redis, "--engine", "redis", "--cache-node-type", "cache.t3.micro", "--num-cache-nodes", "1");
        await ec.WaitUntilCacheClusterAvailableAsync(new ElastiCache.DescribeCacheClustersMessage { CacheClusterId = redis }, Fast);
        await ec.ModifyCacheClusterAsync(new ElastiCache.ModifyCacheClusterMessage { CacheClusterId = redis, SnapshotRetentionLimit = 3,
            ApplyImmediately = true });
        await ec.DeleteCacheClusterAsync(new ElastiCache.DeleteCacheClusterMessage { CacheClusterId = redis });
        await cloud.Aws("elasticache", "wait", "cache-cluster-deleted", "--cache-cluster-id", redis);

        var group = LocalCloudFixture.Unique("rg");
        await ec.CreateReplicationGroupAsync(new ElastiCache.CreateReplicationGroupMessage { ReplicationGroupId = group, ReplicationGroupDescription = "ops",
            AtRestEncryptionEnabled = true, NumCacheClusters = 2 });
        await cloud.Aws("elasticache", "wait", "replication-group-available", "--replication-group-id", group);
        await ec.ModifyReplicationGroupAsync(new ElastiCache.ModifyReplicationGroupMessage { ReplicationGroupId = group, SnapshotRetentionLimit = 7 });
        await ec.DeleteReplicationGroupAsync(new ElastiCache.DeleteReplicationGroupMessage { ReplicationGroupId = group });
        await ec.WaitUntilReplicationGroupDeletedAsync(new ElastiCache.DescribeReplicationGroupsMessage { ReplicationGroupId = group }, Fast);
        await AwsAssert.ErrorCode("ReplicationGroupNotFoundFault", () => ec.DescribeReplicationGroupsAsync(new ElastiCache.DescribeReplicationGroupsMessage { ReplicationGroupId = group }));
    }
    /// <summary>As on AWS: a replication group's member clusters are cache clusters too, with node endpoints on request.</summary>
    [Fact]
    public async Task Describe_cache_clusters_lists_a_replication_groups_members_with_node_endpoints_when_asked()
    {
        var group = LocalCloudFixture.Unique("members");
        await cloud.Aws("elasticache", "create-replication-group", "--replication-group-id", group, "--replication-group-description", "members",
            "--engine", "redis", "--cache-node-type", "cache.t4g.micro", "--num-cache-clusters", "2");
        var listed = (await cloud.Aws("elasticache", "describe-cache-clusters"))!["CacheClusters"]!.AsArray();
        var members = listed.Where(c => (string?)c!["ReplicationGroupId"] == group).Select(c => (string)c!["CacheClusterId"]!).ToList();
        Assert.Equal([$"{group}-001", $"{group}-002"], members);
        Assert.All(listed, c => Assert.Null(c!["CacheNodes"]));

        var one = (await cloud.Aws("elasticache", "describe-cache-clusters", "--cache-cluster-id", $"{group}-002", "--show-cache-node-info"))!["CacheClusters"]!.AsArray().Single()!;
        Assert.Equal(group, (string?)one["ReplicationGroupId"]);
        var endpoint = one["CacheNodes"]![0]!["Endpoint"]!;
        Assert.False(string.IsNullOrEmpty((string?)endpoint["Address"]));
        Assert.Equal(6379, (int)endpoint["Port"]!);
        var names = (await cloud.Aws("elasticache", "describe-replication-groups", "--replication-group-id", group))!["ReplicationGroups"]![0]!["MemberClusters"]!.AsArray().Select(m => (string)m!).ToList();
        Assert.Equal(members, names);
    }
}

public class LifecycleTests
{
    [Fact]
    public async Task A_database_moves_through_creating_and_backing_up_to_available_then_deleting_to_gone()
    {
        var clock = new ManualClock();
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            Clock = clock,
            Delays = LifecycleDelays.Instant with { Database = TimeSpan.FromMinutes(5) },
        });
        var rds = new Rds.RdsClient(TestClouds.Connection(server.Url));
        async Task<string> Status()
            => (await rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "slow" })).DBInstances!.Single().DBInstanceStatus!;

        await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage { DBInstanceIdentifier = "slow", DBInstanceClass = "db.t3.micro", Engine = "postgres" });
        Assert.Equal("creating", await Status());
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("backing-up", await Status());
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("available", await Status());
        var waited = await rds.WaitUntilDBInstanceAvailableAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "slow" });
        Assert.Equal("available", waited.DBInstances![0].DBInstanceStatus);

        await rds.ModifyDBInstanceAsync(new Rds.ModifyDBInstanceMessage { DBInstanceIdentifier = "slow", AllocatedStorage = 40, ApplyImmediately = true });
        Assert.Equal("modifying", await Status());
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("available", await Status());

        await rds.DeleteDBInstanceAsync(new Rds.DeleteDBInstanceMessage { DBInstanceIdentifier = "slow", SkipFinalSnapshot = true });
        Assert.Equal("deleting", await Status());
        clock.Advance(TimeSpan.FromMinutes(5));
        await AwsAssert.ErrorCode("DBInstanceNotFound", () => rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "slow" }), 404);
    }
}
