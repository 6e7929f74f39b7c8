using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using ElastiCache = Ops.Aws.ElastiCache;
using Rds = Ops.Aws.Rds;
using Redshift = Ops.Aws.Redshift;

namespace Ops.LocalCloud.Tests;

/// <summary>Modify semantics (pending until applied), ids that survive a restart, and secrets that never reach the state directory.</summary>
public class DataStoreSemanticsTests
{
    static AwsConnection Connect(LocalCloudServer server) => TestClouds.Connection(server.Url);

    [Fact]
    public async Task ModifyDBInstance_without_ApplyImmediately_leaves_the_change_pending_and_with_it_applies_after_modifying()
    {
        var clock = new ManualClock();
        await using var server = await LocalCloudServer.StartAsync(TestClouds.Options() with { Clock = clock,
            Delays = LifecycleDelays.Instant with { Database = TimeSpan.FromMinutes(5) } });
        var rds = new Rds.RdsClient(Connect(server));
        await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage { DBInstanceIdentifier = "db", DBInstanceClass = "db.t3.micro", Engine = "postgres",
            AllocatedStorage = 20 });
        clock.Advance(TimeSpan.FromMinutes(10));
        async Task<Rds.DBInstance> Db()
            => (await rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "db" })).DBInstances!.Single();

        var modified = (await rds.ModifyDBInstanceAsync(new Rds.ModifyDBInstanceMessage { DBInstanceIdentifier = "db", DBInstanceClass = "db.t3.large",
            AllocatedStorage = 50, DeletionProtection = true })).DBInstance!;
        Assert.Equal(("db.t3.micro", "db.t3.large", 50),
            (modified.DBInstanceClass, modified.PendingModifiedValues?.DBInstanceClass, modified.PendingModifiedValues?.AllocatedStorage));
        clock.Advance(TimeSpan.FromHours(1));
        var db = await Db();
        Assert.Equal(("available", "db.t3.micro", 20, true), (db.DBInstanceStatus, db.DBInstanceClass, db.AllocatedStorage, db.DeletionProtection));
        Assert.Equal("db.t3.large", db.PendingModifiedValues?.DBInstanceClass);

        await rds.ModifyDBInstanceAsync(new Rds.ModifyDBInstanceMessage { DBInstanceIdentifier = "db", MultiAZ = true, ApplyImmediately = true });
        db = await Db();
        Assert.Equal(("modifying", "db.t3.micro"), (db.DBInstanceStatus, db.DBInstanceClass));
        Assert.Equal(("db.t3.large", true), (db.PendingModifiedValues?.DBInstanceClass, db.PendingModifiedValues?.MultiAZ));
        clock.Advance(TimeSpan.FromMinutes(5));
        db = await Db();
        Assert.Equal(("available", "db.t3.large", 50, true), (db.DBInstanceStatus, db.DBInstanceClass, db.AllocatedStorage, db.MultiAZ));
        Assert.Null(db.PendingModifiedValues?.DBInstanceClass);
    }

    [Fact]
    public async Task ModifyCluster_resizes_through_pending_values_while_modifying_and_applies_other_settings_at_once()
    {
        var clock = new ManualClock();
        await using var server = await LocalCloudServer.StartAsync(TestClouds.Options() with { Clock = clock,
            Delays = LifecycleDelays.Instant with { Warehouse = TimeSpan.FromMinutes(5) } });
        var rs = new Redshift.RedshiftClient(Connect(server));
        await rs.CreateClusterAsync(new Redshift.CreateClusterMessage { ClusterIdentifier = "wh", NodeType = "ra3.xlplus", MasterUsername = "iotile", MasterUserPassword = "Correct-Horse-9" });
        clock.Advance(TimeSpan.FromMinutes(10));
        var modified = (await rs.ModifyClusterAsync(new Redshift.ModifyClusterMessage { ClusterIdentifier = "wh", NodeType = "ra3.4xlarge", NumberOfNodes = 2,
            AutomatedSnapshotRetentionPeriod = 7 })).Cluster!;
        Assert.Equal(("modifying", "ra3.xlplus", "ra3.4xlarge", 2, 7), (modified.ClusterStatus, modified.NodeType, modified.PendingModifiedValues?.NodeType,
            modified.PendingModifiedValues?.NumberOfNodes, modified.AutomatedSnapshotRetentionPeriod));
        clock.Advance(TimeSpan.FromMinutes(5));
        var cluster = (await rs.DescribeClustersAsync(new Redshift.DescribeClustersMessage { ClusterIdentifier = "wh" })).Clusters!.Single();
        Assert.Equal(("available", "ra3.4xlarge", 2), (cluster.ClusterStatus, cluster.NodeType, cluster.NumberOfNodes));
        Assert.Null(cluster.PendingModifiedValues?.NodeType);
    }

    [Fact]
    public async Task ModifyCacheCluster_and_ModifyReplicationGroup_without_ApplyImmediately_keep_node_changes_pending()
    {
        await using var server = await LocalCloudServer.StartAsync(TestClouds.Options());
        var ec = new ElastiCache.ElastiCacheClient(Connect(server));
        await ec.CreateCacheClusterAsync(new ElastiCache.CreateCacheClusterMessage { CacheClusterId = "redis", Engine = "redis", CacheNodeType = "cache.t3.micro", NumCacheNodes = 1 });
        var cluster = (await ec.ModifyCacheClusterAsync(new ElastiCache.ModifyCacheClusterMessage { CacheClusterId = "redis", CacheNodeType = "cache.t3.small",
            EngineVersion = "7.1" })).CacheCluster!;
        Assert.Equal(("available", "cache.t3.micro", "cache.t3.small"), (cluster.CacheClusterStatus, cluster.CacheNodeType, cluster.PendingModifiedValues?.CacheNodeType));
        await ec.ModifyCacheClusterAsync(new ElastiCache.ModifyCacheClusterMessage { CacheClusterId = "redis", ApplyImmediately = true });
        cluster = (await ec.DescribeCacheClustersAsync(new ElastiCache.DescribeCacheClustersMessage { CacheClusterId = "redis" })).CacheClusters!.Single();
        Assert.Equal(("cache.t3.small", null), (cluster.CacheNodeType, cluster.PendingModifiedValues?.CacheNodeType));

        await ec.CreateReplicationGroupAsync(new ElastiCache.CreateReplicationGroupMessage { ReplicationGroupId = "rg", ReplicationGroupDescription = "ops",
            CacheNodeType = "cache.t3.micro" });
        var group = (await ec.ModifyReplicationGroupAsync(new ElastiCache.ModifyReplicationGroupMessage { ReplicationGroupId = "rg", CacheNodeType = "cache.t3.small",
            ApplyImmediately = false })).ReplicationGroup!;
        Assert.Equal(("available", "cache.t3.micro"), (group.Status, group.CacheNodeType));
        group = (await ec.ModifyReplicationGroupAsync(new ElastiCache.ModifyReplicationGroupMessage { ReplicationGroupId = "rg", CacheNodeType = "cache.t3.medium",
            ApplyImmediately = true })).ReplicationGroup!;
        Assert.Equal("cache.t3.medium", group.CacheNodeType);
    }

    [Fact]
    public async Task DbiResourceId_and_TableId_are_stored_and_survive_a_restart_on_the_same_state_directory()
    {
        var directory = Directory.CreateTempSubdirectory("localcloud-ids-").FullName;
        try
        {
            string resourceId, tableId;
            await using (var server = await LocalCloudServer.StartAsync(TestClouds.Options(directory)))
            {
                var db = (await new Rds.RdsClient(Connect(server)).CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage { DBInstanceIdentifier = "db",
                    DBInstanceClass = "db.t3.micro", Engine = "postgres" })).DBInstance!;
                resourceId = db.DbiResourceId!;
                using var dynamo = AwsConnectionFactory.CreateDynamoDb(Connect(server));
                tableId = (await dynamo.CreateTableAsync(new CreateTableRequest
                {
                    TableName = "leases",
                    BillingMode = "PAY_PER_REQUEST",
                    KeySchema = [new KeySchemaElement("pk", "HASH")],
                    AttributeDefinitions = [new AttributeDefinition("pk", "S")],
                })).TableDescription.TableId;
                Assert.Equal(tableId, (await dynamo.DescribeTableAsync("leases")).Table.TableId);
            }
            Assert.Matches("^db-[A-Z0-9]{26}$", resourceId);
            Assert.Contains(resourceId, File.ReadAllText(Path.Combine(directory, "rds.json")));

            await using (var server = await LocalCloudServer.StartAsync(TestClouds.Options(directory)))
            {
                var db = (await new Rds.RdsClient(Connect(server)).DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "db" }))
                    .DBInstances!.Single();
                Assert.Equal(resourceId, db.DbiResourceId);
                using var dynamo = AwsConnectionFactory.CreateDynamoDb(Connect(server));
                Assert.Equal(tableId, (await dynamo.DescribeTableAsync("leases")).Table.TableId);
            }
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public async Task An_ElastiCache_auth_token_never_reaches_the_state_directory()
    {
        const string token = "Known-Auth-Token-0123456789";
        var directory = Directory.CreateTempSubdirectory("localcloud-secrets-").FullName;
        try
        {
            await using (var server = await LocalCloudServer.StartAsync(TestClouds.Options(directory)))
            {
                var ec = new ElastiCache.ElastiCacheClient(Connect(server));
                var group = (await ec.CreateReplicationGroupAsync(new ElastiCache.CreateReplicationGroupMessage
                {
                    ReplicationGroupId = "secured",
                    ReplicationGroupDescription = "ops",
                    TransitEncryptionEnabled = true,
                    AuthToken = token,
                })).ReplicationGroup!;
                Assert.True(group.AuthTokenEnabled);
                await ec.CreateCacheClusterAsync(new ElastiCache.CreateCacheClusterMessage { CacheClusterId = "secured-one", Engine = "redis",
                    CacheNodeType = "cache.t3.micro", NumCacheNodes = 1, TransitEncryptionEnabled = true, AuthToken = token });
            }
            await using (var server = await LocalCloudServer.StartAsync(TestClouds.Options(directory)))
            {
                var cache = new ElastiCache.ElastiCacheClient(Connect(server));
                var group = (await cache.DescribeReplicationGroupsAsync(new ElastiCache.DescribeReplicationGroupsMessage { ReplicationGroupId = "secured" }))
                    .ReplicationGroups!.Single();
                Assert.True(group.AuthTokenEnabled);
            }
            Assert.NotEmpty(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories));
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
                Assert.DoesNotContain(token, File.ReadAllText(file));
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
