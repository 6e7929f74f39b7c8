namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    static string CacheArn(ConformanceContext x, string kind) => $"arn:aws:elasticache:us-east-1:{LocalAccount}:{kind}:{x.Name}";

    static string[] CreateCacheClusterArgs(ConformanceContext x) =>
        ["elasticache", "create-cache-cluster", "--cache-cluster-id", x.Name, "--engine", "redis", "--cache-node-type", "cache.t3.micro", "--num-cache-nodes", "1"];

    static Task CreateCacheCluster(ConformanceContext x) => x.Aws(CreateCacheClusterArgs(x));

    static string[] CreateReplicationGroupArgs(ConformanceContext x) =>
    [
        "elasticache", "create-replication-group", "--replication-group-id", x.Name, "--replication-group-description", "conformance", "--engine", "redis",
        "--cache-node-type", "cache.t3.micro", "--num-cache-clusters", "2",
    ];

    static Task CreateReplicationGroup(ConformanceContext x) => x.Aws(CreateReplicationGroupArgs(x));

    static string[] CreateCacheSubnetGroupArgs(ConformanceContext x) =>
        ["elasticache", "create-cache-subnet-group", "--cache-subnet-group-name", x.Name, "--cache-subnet-group-description", "conformance", "--subnet-ids", "subnet-a"];

    static Task CreateCacheSubnetGroup(ConformanceContext x) => x.Aws(CreateCacheSubnetGroupArgs(x));

    static ConformanceRow[] ElastiCache =>
    [
        Row("elasticache", "CreateCacheCluster", CreateCacheClusterArgs, (x, r) =>
        {
            var cc = r!["CacheCluster"]!;
            Assert.Equal((x.Name, "redis", "cache.t3.micro", 1, CacheArn(x, "cluster")),
                ((string?)cc["CacheClusterId"], (string?)cc["Engine"], (string?)cc["CacheNodeType"], (int?)cc["NumCacheNodes"], (string?)cc["ARN"]));
            return Done;
        }),
        Error("elasticache", "CreateCacheCluster", CreateCacheClusterArgs, "CacheClusterAlreadyExists", CreateCacheCluster),
        Row("elasticache", "DescribeCacheClusters", x => ["elasticache", "describe-cache-clusters", "--cache-cluster-id", x.Name, "--show-cache-node-info"], (x, r) =>
        {
            var cc = r!["CacheClusters"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "available", 6379), ((string?)cc["CacheClusterId"], (string?)cc["CacheClusterStatus"], (int?)cc["CacheNodes"]![0]!["Endpoint"]!["Port"]));
            return Done;
        }, CreateCacheCluster),
        Error("elasticache", "DescribeCacheClusters", x => ["elasticache", "describe-cache-clusters", "--cache-cluster-id", x.Name], "CacheClusterNotFound"),
        Row("elasticache", "ModifyCacheCluster", x => ["elasticache", "modify-cache-cluster", "--cache-cluster-id", x.Name, "--cache-node-type", "cache.t3.small"], (x, r) =>
        {
            var cc = r!["CacheCluster"]!;
            Assert.Equal((x.Name, "cache.t3.micro", "cache.t3.small"),
                ((string?)cc["CacheClusterId"], (string?)cc["CacheNodeType"], (string?)cc["PendingModifiedValues"]!["CacheNodeType"]));
            return Done;
        }, CreateCacheCluster),
        Error("elasticache", "ModifyCacheCluster", x => ["elasticache", "modify-cache-cluster", "--cache-cluster-id", x.Name, "--snapshot-retention-limit", "5"], "CacheClusterNotFound"),
        Row("elasticache", "DeleteCacheCluster", x => ["elasticache", "delete-cache-cluster", "--cache-cluster-id", x.Name], async (x, r) =>
        {
            Assert.Equal((x.Name, "deleting"), ((string?)r!["CacheCluster"]!["CacheClusterId"], (string?)r["CacheCluster"]!["CacheClusterStatus"]));
            Assert.DoesNotContain(x.Name, Members((await x.Aws("elasticache", "describe-cache-clusters"))!["CacheClusters"], "CacheClusterId"));
        }, CreateCacheCluster),
        Error("elasticache", "DeleteCacheCluster", x => ["elasticache", "delete-cache-cluster", "--cache-cluster-id", x.Name], "CacheClusterNotFound"),
        Row("elasticache", "CreateReplicationGroup", CreateReplicationGroupArgs, (x, r) =>
        {
            var g = r!["ReplicationGroup"]!;
            Assert.Equal((x.Name, "conformance", "cache.t3.micro", CacheArn(x, "replicationgroup")),
                ((string?)g["ReplicationGroupId"], (string?)g["Description"], (string?)g["CacheNodeType"], (string?)g["ARN"]));
            Assert.Equal([$"{x.Name}-001", $"{x.Name}-002"], g["MemberClusters"]!.AsArray().Select(m => (string?)m));
            return Done;
        }),
        Error("elasticache", "CreateReplicationGroup", CreateReplicationGroupArgs, "ReplicationGroupAlreadyExists", CreateReplicationGroup),
        Row("elasticache", "DescribeReplicationGroups", x => ["elasticache", "describe-replication-groups", "--replication-group-id", x.Name], (x, r) =>
        {
            var g = r!["ReplicationGroups"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "available", 6379), ((string?)g["ReplicationGroupId"], (string?)g["Status"], (int?)g["NodeGroups"]![0]!["PrimaryEndpoint"]!["Port"]));
            return Done;
        }, CreateReplicationGroup),
        Error("elasticache", "DescribeReplicationGroups", x => ["elasticache", "describe-replication-groups", "--replication-group-id", x.Name], "ReplicationGroupNotFoundFault"),
        Row("elasticache", "ModifyReplicationGroup",
            x => ["elasticache", "modify-replication-group", "--replication-group-id", x.Name, "--replication-group-description", "renamed", "--apply-immediately"], (x, r) =>
            {
                Assert.Equal((x.Name, "renamed"), ((string?)r!["ReplicationGroup"]!["ReplicationGroupId"], (string?)r["ReplicationGroup"]!["Description"]));
                return Done;
            }, CreateReplicationGroup),
        Error("elasticache", "ModifyReplicationGroup",
            x => ["elasticache", "modify-replication-group", "--replication-group-id", x.Name, "--replication-group-description", "renamed"], "ReplicationGroupNotFoundFault"),
        Row("elasticache", "DeleteReplicationGroup", x => ["elasticache", "delete-replication-group", "--replication-group-id", x.Name], async (x, r) =>
        {
            Assert.Equal((x.Name, "deleting"), ((string?)r!["ReplicationGroup"]!["ReplicationGroupId"], (string?)r["ReplicationGroup"]!["Status"]));
            Assert.DoesNotContain(x.Name, Members((await x.Aws("elasticache", "describe-replication-groups"))!["ReplicationGroups"], "ReplicationGroupId"));
        }, CreateReplicationGroup),
        Error("elasticache", "DeleteReplicationGroup", x => ["elasticache", "delete-replication-group", "--replication-group-id", x.Name], "ReplicationGroupNotFoundFault"),
        Row("elasticache", "CreateCacheSubnetGroup", CreateCacheSubnetGroupArgs, (x, r) =>
        {
            var g = r!["CacheSubnetGroup"]!;
            Assert.Equal((x.Name, "conformance", CacheArn(x, "subnetgroup")), ((string?)g["CacheSubnetGroupName"], (string?)g["CacheSubnetGroupDescription"], (string?)g["ARN"]));
            Assert.Equal(["subnet-a"], Members(g["Subnets"], "SubnetIdentifier"));
            return Done;
        }),
        Error("elasticache", "CreateCacheSubnetGroup", CreateCacheSubnetGroupArgs, "CacheSubnetGroupAlreadyExists", CreateCacheSubnetGroup),
        Row("elasticache", "DescribeCacheSubnetGroups", x => ["elasticache", "describe-cache-subnet-groups", "--cache-subnet-group-name", x.Name], (x, r) =>
        {
            var g = r!["CacheSubnetGroups"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "conformance"), ((string?)g["CacheSubnetGroupName"], (string?)g["CacheSubnetGroupDescription"]));
            return Done;
        }, CreateCacheSubnetGroup),
        Error("elasticache", "DescribeCacheSubnetGroups", x => ["elasticache", "describe-cache-subnet-groups", "--cache-subnet-group-name", x.Name], "CacheSubnetGroupNotFoundFault"),
        Row("elasticache", "DeleteCacheSubnetGroup", x => ["elasticache", "delete-cache-subnet-group", "--cache-subnet-group-name", x.Name], async (x, _) =>
            Assert.DoesNotContain(x.Name, Members((await x.Aws("elasticache", "describe-cache-subnet-groups"))!["CacheSubnetGroups"], "CacheSubnetGroupName")),
            CreateCacheSubnetGroup),
        Error("elasticache", "DeleteCacheSubnetGroup", x => ["elasticache", "delete-cache-subnet-group", "--cache-subnet-group-name", x.Name], "CacheSubnetGroupNotFoundFault"),
        Row("elasticache", "AddTagsToResource", x => ["elasticache", "add-tags-to-resource", "--resource-name", CacheArn(x, "cluster"), "--tags", "Key=team,Value=iot"], (_, r) =>
        {
            Assert.Equal(new Dictionary<string, string?> { ["team"] = "iot" }, TagMap(r!["TagList"]));
            return Done;
        }, CreateCacheCluster),
        Error("elasticache", "AddTagsToResource", x => ["elasticache", "add-tags-to-resource", "--resource-name", CacheArn(x, "cluster"), "--tags", "Key=team,Value=iot"],
            "CacheClusterNotFound"),
    ];
}
