namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    static string[] RedshiftClusterArgs(ConformanceContext x) =>
    [
        "redshift", "create-cluster", "--cluster-identifier", x.Name, "--node-type", "dc2.large", "--cluster-type", "single-node",
        "--master-username", "admin", "--master-user-password", "Correct-Horse-9",
    ];

    static Task CreateRedshiftCluster(ConformanceContext x) => x.Aws(RedshiftClusterArgs(x));

    static Task CreateRedshiftSubnetGroup(ConformanceContext x) =>
        x.Aws("redshift", "create-cluster-subnet-group", "--cluster-subnet-group-name", x.Name, "--description", "conformance", "--subnet-ids", "subnet-a", "subnet-b");

    static ConformanceRow[] Redshift =>
    [
        Row("redshift", "CreateCluster", RedshiftClusterArgs, (x, r) =>
        {
            var cl = r!["Cluster"]!;
            Assert.Equal((x.Name, "dc2.large", "admin", "dev", 1),
                ((string?)cl["ClusterIdentifier"], (string?)cl["NodeType"], (string?)cl["MasterUsername"], (string?)cl["DBName"], (int?)cl["NumberOfNodes"]));
            return Done;
        }),
        Error("redshift", "CreateCluster", RedshiftClusterArgs, "ClusterAlreadyExists", CreateRedshiftCluster),
        Row("redshift", "DescribeClusters", x => ["redshift", "describe-clusters", "--cluster-identifier", x.Name], (x, r) =>
        {
            var cl = r!["Clusters"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "available", 5439), ((string?)cl["ClusterIdentifier"], (string?)cl["ClusterStatus"], (int?)cl["Endpoint"]!["Port"]));
            return Done;
        }, CreateRedshiftCluster),
        Error("redshift", "DescribeClusters", x => ["redshift", "describe-clusters", "--cluster-identifier", x.Name], "ClusterNotFound"),
        Row("redshift", "ModifyCluster", x => ["redshift", "modify-cluster", "--cluster-identifier", x.Name, "--automated-snapshot-retention-period", "7"], (x, r) =>
        {
            Assert.Equal((x.Name, 7), ((string?)r!["Cluster"]!["ClusterIdentifier"], (int?)r["Cluster"]!["AutomatedSnapshotRetentionPeriod"]));
            return Done;
        }, CreateRedshiftCluster),
        Error("redshift", "ModifyCluster", x => ["redshift", "modify-cluster", "--cluster-identifier", x.Name, "--automated-snapshot-retention-period", "7"], "ClusterNotFound"),
        Row("redshift", "DeleteCluster", x => ["redshift", "delete-cluster", "--cluster-identifier", x.Name, "--skip-final-cluster-snapshot"], async (x, r) =>
        {
            Assert.Equal((x.Name, "deleting"), ((string?)r!["Cluster"]!["ClusterIdentifier"], (string?)r["Cluster"]!["ClusterStatus"]));
            Assert.DoesNotContain(x.Name, Members((await x.Aws("redshift", "describe-clusters"))!["Clusters"], "ClusterIdentifier"));
        }, CreateRedshiftCluster),
        Error("redshift", "DeleteCluster", x => ["redshift", "delete-cluster", "--cluster-identifier", x.Name, "--skip-final-cluster-snapshot"], "ClusterNotFound"),
        Row("redshift", "CreateClusterSubnetGroup",
            x => ["redshift", "create-cluster-subnet-group", "--cluster-subnet-group-name", x.Name, "--description", "conformance", "--subnet-ids", "subnet-a", "subnet-b"], (x, r) =>
            {
                var g = r!["ClusterSubnetGroup"]!;
                Assert.Equal((x.Name, "conformance", "Complete"), ((string?)g["ClusterSubnetGroupName"], (string?)g["Description"], (string?)g["SubnetGroupStatus"]));
                Assert.Equal(["subnet-a", "subnet-b"], Members(g["Subnets"], "SubnetIdentifier"));
                return Done;
            }),
        Error("redshift", "CreateClusterSubnetGroup",
            x => ["redshift", "create-cluster-subnet-group", "--cluster-subnet-group-name", x.Name, "--description", "again", "--subnet-ids", "subnet-a"],
            "ClusterSubnetGroupAlreadyExists", CreateRedshiftSubnetGroup),
        Row("redshift", "DescribeClusterSubnetGroups", x => ["redshift", "describe-cluster-subnet-groups", "--cluster-subnet-group-name", x.Name], (x, r) =>
        {
            var g = r!["ClusterSubnetGroups"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "conformance"), ((string?)g["ClusterSubnetGroupName"], (string?)g["Description"]));
            Assert.Equal(["subnet-a", "subnet-b"], Members(g["Subnets"], "SubnetIdentifier"));
            return Done;
        }, CreateRedshiftSubnetGroup),
        Error("redshift", "DescribeClusterSubnetGroups", x => ["redshift", "describe-cluster-subnet-groups", "--cluster-subnet-group-name", x.Name], "ClusterSubnetGroupNotFoundFault"),
        Row("redshift", "DeleteClusterSubnetGroup", x => ["redshift", "delete-cluster-subnet-group", "--cluster-subnet-group-name", x.Name], async (x, _) =>
            Assert.DoesNotContain(x.Name, Members((await x.Aws("redshift", "describe-cluster-subnet-groups"))!["ClusterSubnetGroups"], "ClusterSubnetGroupName")),
            CreateRedshiftSubnetGroup),
        Error("redshift", "DeleteClusterSubnetGroup", x => ["redshift", "delete-cluster-subnet-group", "--cluster-subnet-group-name", x.Name], "ClusterSubnetGroupNotFoundFault"),
        Row("redshift", "CreateTags",
            x => ["redshift", "create-tags", "--resource-name", $"arn:aws:redshift:us-east-1:{LocalAccount}:cluster:{x.Name}", "--tags", "Key=team,Value=iot"], async (x, _) =>
            {
                var cl = (await x.Aws("redshift", "describe-clusters", "--cluster-identifier", x.Name))!["Clusters"]![0]!;
                Assert.Equal(new Dictionary<string, string?> { ["team"] = "iot" }, TagMap(cl["Tags"]));
            }, CreateRedshiftCluster),
        Error("redshift", "CreateTags",
            x => ["redshift", "create-tags", "--resource-name", $"arn:aws:redshift:us-east-1:{LocalAccount}:cluster:{x.Name}", "--tags", "Key=team,Value=iot"], "ResourceNotFoundFault"),
    ];
}
