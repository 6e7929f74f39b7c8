using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    const string LocalAccount = "123456789012";

    static string RdsArn(ConformanceContext x) => $"arn:aws:rds:us-east-1:{LocalAccount}:db:{x.Name}";

    static string[] CreateDbInstanceArgs(ConformanceContext x) =>
    [
        "rds", "create-db-instance", "--db-instance-identifier", x.Name, "--db-instance-class", "db.t3.micro", "--engine", "postgres",
        "--master-username", "app", "--master-user-password", "correct-horse-9", "--allocated-storage", "20", "--tags", "Key=team,Value=iot",
    ];

    static Task CreateDbInstance(ConformanceContext x) => x.Aws(CreateDbInstanceArgs(x));

    static async Task CreateDbSnapshot(ConformanceContext x)
    {
        await CreateDbInstance(x);
        await x.Aws("rds", "create-db-snapshot", "--db-instance-identifier", x.Name, "--db-snapshot-identifier", "snap-" + x.Name);
    }

    static Task CreateDbSubnetGroup(ConformanceContext x) =>
        x.Aws("rds", "create-db-subnet-group", "--db-subnet-group-name", x.Name, "--db-subnet-group-description", "conformance", "--subnet-ids", "subnet-a", "subnet-b");

    static IEnumerable<string?> Members(JsonNode? list, string member) => list!.AsArray().Select(n => (string?)n![member]);

    static Dictionary<string, string?> TagMap(JsonNode? list) => list!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => (string?)t!["Value"]);

    static ConformanceRow[] Rds =>
    [
        Row("rds", "CreateDBInstance", CreateDbInstanceArgs, (x, r) =>
        {
            var db = r!["DBInstance"]!;
            Assert.Equal((x.Name, "postgres", "db.t3.micro", "app", 20, RdsArn(x)),
                ((string?)db["DBInstanceIdentifier"], (string?)db["Engine"], (string?)db["DBInstanceClass"], (string?)db["MasterUsername"], (int?)db["AllocatedStorage"], (string?)db["DBInstanceArn"]));
            return Done;
        }),
        Error("rds", "CreateDBInstance", CreateDbInstanceArgs, "DBInstanceAlreadyExists", CreateDbInstance),
        Row("rds", "DescribeDBInstances", x => ["rds", "describe-db-instances", "--db-instance-identifier", x.Name], (x, r) =>
        {
            var db = r!["DBInstances"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "available", RdsArn(x), 5432), ((string?)db["DBInstanceIdentifier"], (string?)db["DBInstanceStatus"], (string?)db["DBInstanceArn"], (int?)db["Endpoint"]!["Port"]));
            return Done;
        }, CreateDbInstance),
        Error("rds", "DescribeDBInstances", x => ["rds", "describe-db-instances", "--db-instance-identifier", x.Name], "DBInstanceNotFound"),
        Row("rds", "ModifyDBInstance", x => ["rds", "modify-db-instance", "--db-instance-identifier", x.Name, "--allocated-storage", "50"], (x, r) =>
        {
            var db = r!["DBInstance"]!;
            Assert.Equal((x.Name, 20, 50), ((string?)db["DBInstanceIdentifier"], (int?)db["AllocatedStorage"], (int?)db["PendingModifiedValues"]!["AllocatedStorage"]));
            return Done;
        }, CreateDbInstance),
        Error("rds", "ModifyDBInstance", x => ["rds", "modify-db-instance", "--db-instance-identifier", x.Name, "--allocated-storage", "50"], "DBInstanceNotFound"),
        Row("rds", "RebootDBInstance", x => ["rds", "reboot-db-instance", "--db-instance-identifier", x.Name], (x, r) =>
        {
            var db = r!["DBInstance"]!;
            Assert.Equal((x.Name, RdsArn(x)), ((string?)db["DBInstanceIdentifier"], (string?)db["DBInstanceArn"]));
            return Done;
        }, CreateDbInstance),
        Error("rds", "RebootDBInstance", x => ["rds", "reboot-db-instance", "--db-instance-identifier", x.Name], "DBInstanceNotFound"),
        Row("rds", "DeleteDBInstance", x => ["rds", "delete-db-instance", "--db-instance-identifier", x.Name, "--skip-final-snapshot"], async (x, r) =>
        {
            Assert.Equal((x.Name, "deleting"), ((string?)r!["DBInstance"]!["DBInstanceIdentifier"], (string?)r["DBInstance"]!["DBInstanceStatus"]));
            Assert.DoesNotContain(x.Name, Members((await x.Aws("rds", "describe-db-instances"))!["DBInstances"], "DBInstanceIdentifier"));
        }, CreateDbInstance),
        Error("rds", "DeleteDBInstance", x => ["rds", "delete-db-instance", "--db-instance-identifier", x.Name, "--skip-final-snapshot"], "DBInstanceNotFound"),
        Row("rds", "CreateDBSnapshot", x => ["rds", "create-db-snapshot", "--db-instance-identifier", x.Name, "--db-snapshot-identifier", "snap-" + x.Name], (x, r) =>
        {
            var s = r!["DBSnapshot"]!;
            Assert.Equal(("snap-" + x.Name, x.Name, "manual", "postgres", $"arn:aws:rds:us-east-1:{LocalAccount}:snapshot:snap-{x.Name}"),
                ((string?)s["DBSnapshotIdentifier"], (string?)s["DBInstanceIdentifier"], (string?)s["SnapshotType"], (string?)s["Engine"], (string?)s["DBSnapshotArn"]));
            return Done;
        }, CreateDbInstance),
        Error("rds", "CreateDBSnapshot", x => ["rds", "create-db-snapshot", "--db-instance-identifier", x.Name, "--db-snapshot-identifier", "snap-" + x.Name],
            "DBSnapshotAlreadyExists", CreateDbSnapshot),
        Row("rds", "DescribeDBSnapshots", x => ["rds", "describe-db-snapshots", "--db-instance-identifier", x.Name], (x, r) =>
        {
            var s = r!["DBSnapshots"]!.AsArray().Single()!;
            Assert.Equal(("snap-" + x.Name, x.Name, "available", 20), ((string?)s["DBSnapshotIdentifier"], (string?)s["DBInstanceIdentifier"], (string?)s["Status"], (int?)s["AllocatedStorage"]));
            return Done;
        }, CreateDbSnapshot),
        Error("rds", "DescribeDBSnapshots", x => ["rds", "describe-db-snapshots", "--db-snapshot-identifier", "snap-" + x.Name], "DBSnapshotNotFound"),
        Row("rds", "DeleteDBSnapshot", x => ["rds", "delete-db-snapshot", "--db-snapshot-identifier", "snap-" + x.Name], async (x, r) =>
        {
            Assert.Equal("snap-" + x.Name, (string?)r!["DBSnapshot"]!["DBSnapshotIdentifier"]);
            Assert.Empty((await x.Aws("rds", "describe-db-snapshots", "--db-instance-identifier", x.Name))!["DBSnapshots"]!.AsArray());
        }, CreateDbSnapshot),
        Error("rds", "DeleteDBSnapshot", x => ["rds", "delete-db-snapshot", "--db-snapshot-identifier", "snap-" + x.Name], "DBSnapshotNotFound"),
        Row("rds", "CreateDBSubnetGroup",
            x => ["rds", "create-db-subnet-group", "--db-subnet-group-name", x.Name, "--db-subnet-group-description", "conformance", "--subnet-ids", "subnet-a", "subnet-b"], (x, r) =>
            {
                var g = r!["DBSubnetGroup"]!;
                Assert.Equal((x.Name, "conformance", "Complete", $"arn:aws:rds:us-east-1:{LocalAccount}:subgrp:{x.Name}"),
                    ((string?)g["DBSubnetGroupName"], (string?)g["DBSubnetGroupDescription"], (string?)g["SubnetGroupStatus"], (string?)g["DBSubnetGroupArn"]));
                Assert.Equal(["subnet-a", "subnet-b"], Members(g["Subnets"], "SubnetIdentifier"));
                return Done;
            }),
        Error("rds", "CreateDBSubnetGroup",
            x => ["rds", "create-db-subnet-group", "--db-subnet-group-name", x.Name, "--db-subnet-group-description", "again", "--subnet-ids", "subnet-a"],
            "DBSubnetGroupAlreadyExists", CreateDbSubnetGroup),
        Row("rds", "DescribeDBSubnetGroups", x => ["rds", "describe-db-subnet-groups", "--db-subnet-group-name", x.Name], (x, r) =>
        {
            var g = r!["DBSubnetGroups"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "conformance"), ((string?)g["DBSubnetGroupName"], (string?)g["DBSubnetGroupDescription"]));
            Assert.Equal(["subnet-a", "subnet-b"], Members(g["Subnets"], "SubnetIdentifier"));
            return Done;
        }, CreateDbSubnetGroup),
        Error("rds", "DescribeDBSubnetGroups", x => ["rds", "describe-db-subnet-groups", "--db-subnet-group-name", x.Name], "DBSubnetGroupNotFoundFault"),
        Row("rds", "DeleteDBSubnetGroup", x => ["rds", "delete-db-subnet-group", "--db-subnet-group-name", x.Name], async (x, _) =>
            Assert.DoesNotContain(x.Name, Members((await x.Aws("rds", "describe-db-subnet-groups"))!["DBSubnetGroups"], "DBSubnetGroupName")), CreateDbSubnetGroup),
        Error("rds", "DeleteDBSubnetGroup", x => ["rds", "delete-db-subnet-group", "--db-subnet-group-name", x.Name], "DBSubnetGroupNotFoundFault"),
        Row("rds", "AddTagsToResource", x => ["rds", "add-tags-to-resource", "--resource-name", RdsArn(x), "--tags", "Key=stage,Value=prod"], async (x, _) =>
        {
            var tags = TagMap((await x.Aws("rds", "list-tags-for-resource", "--resource-name", RdsArn(x)))!["TagList"]);
            Assert.Equal(new Dictionary<string, string?> { ["team"] = "iot", ["stage"] = "prod" }, tags);
        }, CreateDbInstance),
        Error("rds", "AddTagsToResource", x => ["rds", "add-tags-to-resource", "--resource-name", RdsArn(x), "--tags", "Key=stage,Value=prod"], "DBInstanceNotFound"),
        Row("rds", "ListTagsForResource", x => ["rds", "list-tags-for-resource", "--resource-name", RdsArn(x)], (_, r) =>
        {
            Assert.Equal(new Dictionary<string, string?> { ["team"] = "iot" }, TagMap(r!["TagList"]));
            return Done;
        }, CreateDbInstance),
    ];
}
