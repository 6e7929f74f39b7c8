using Ops.Aws.Rds;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>RDS (awsQuery): create → describe → wait → delete, and the not-found codes waiters rely on.</summary>
public abstract class RdsTests(ITestCloud moto)
{
    static readonly WaiterOptions Fast = MotoServer.FastWaits;

    [Fact]
    public async Task Rds_instances_and_snapshots_round_trip_with_waiters()
    {
        var rds = new RdsClient(moto.Connection);
        var id = MotoServer.Unique("iotile-db");
        await rds.CreateDBSubnetGroupAsync(new CreateDBSubnetGroupMessage { DBSubnetGroupName = id, DBSubnetGroupDescription = "ops",
            SubnetIds = await moto.SubnetIds() });
        var groups = (await rds.DescribeDBSubnetGroupsAsync(new DescribeDBSubnetGroupsMessage { DBSubnetGroupName = id })).DBSubnetGroups!;
        Assert.Equal(id, groups[0].DBSubnetGroupName);

        var created = await rds.CreateDBInstanceAsync(new CreateDBInstanceMessage
        {
            DBInstanceIdentifier = id,
            DBInstanceClass = "db.t3.micro",
            Engine = "postgres",
            EngineVersion = "16.3",
            MasterUsername = "iotile",
            MasterUserPassword = "correct-horse-battery",
            AllocatedStorage = 20,
            StorageEncrypted = true,
            MultiAZ = true,
            DBSubnetGroupName = id,
            Tags = [new Tag { Key = "Project", Value = "IOTileCloud" }, new Tag { Key = "Stage", Value = "dev" }],
        });
        Assert.True(created.DBInstance!.StorageEncrypted);
        await AwsAssert.ErrorCode("DBInstanceAlreadyExists", () => rds.CreateDBInstanceAsync(new CreateDBInstanceMessage { DBInstanceIdentifier = id,
            DBInstanceClass = "db.t3.micro", Engine = "postgres", MasterUsername = "u", MasterUserPassword = "password123", AllocatedStorage = 20 }));

        var available = await rds.WaitUntilDBInstanceAvailableAsync(new DescribeDBInstancesMessage { DBInstanceIdentifier = id }, Fast);
        Assert.Equal("available", available.DBInstances![0].DBInstanceStatus);
        Assert.Contains(await rds.DescribeDBInstancesItemsAsync(new DescribeDBInstancesMessage()).ToListAsync(), d => d.DBInstanceIdentifier == id);

        await rds.ModifyDBInstanceAsync(new ModifyDBInstanceMessage { DBInstanceIdentifier = id, DeletionProtection = true, ApplyImmediately = true });
        await rds.AddTagsToResourceAsync(new AddTagsToResourceMessage { ResourceName = created.DBInstance.DBInstanceArn,
            Tags = [new Tag { Key = "Owner", Value = "ops" }] });
        Assert.Contains((await rds.ListTagsForResourceAsync(new ListTagsForResourceMessage { ResourceName = created.DBInstance.DBInstanceArn })).TagList!,
            t => t.Key == "Owner");
        await AwsAssert.ErrorCode("InvalidParameterCombination", () => rds.DeleteDBInstanceAsync(new DeleteDBInstanceMessage { DBInstanceIdentifier = id, SkipFinalSnapshot = true }));
        await rds.ModifyDBInstanceAsync(new ModifyDBInstanceMessage { DBInstanceIdentifier = id, DeletionProtection = false, ApplyImmediately = true });
        await rds.RebootDBInstanceAsync(new RebootDBInstanceMessage { DBInstanceIdentifier = id });

        await rds.CreateDBSnapshotAsync(new CreateDBSnapshotMessage { DBInstanceIdentifier = id, DBSnapshotIdentifier = id + "-snap" });
        var snap = await rds.WaitUntilDBSnapshotAvailableAsync(new DescribeDBSnapshotsMessage { DBSnapshotIdentifier = id + "-snap" }, Fast);
        Assert.Equal("available", snap.DBSnapshots![0].Status);

        await rds.DeleteDBInstanceAsync(new DeleteDBInstanceMessage { DBInstanceIdentifier = id, FinalDBSnapshotIdentifier = id + "-final" });
        await rds.WaitUntilDBInstanceDeletedAsync(new DescribeDBInstancesMessage { DBInstanceIdentifier = id }, Fast);
        await AwsAssert.ErrorCode("DBInstanceNotFound", () => rds.DescribeDBInstancesAsync(new DescribeDBInstancesMessage { DBInstanceIdentifier = id }));
        Assert.Single((await rds.DescribeDBSnapshotsAsync(new DescribeDBSnapshotsMessage { DBSnapshotIdentifier = id + "-final" })).DBSnapshots!);

        await rds.DeleteDBSnapshotAsync(new DeleteDBSnapshotMessage { DBSnapshotIdentifier = id + "-snap" });
        await rds.WaitUntilDBSnapshotDeletedAsync(new DescribeDBSnapshotsMessage { DBSnapshotIdentifier = id + "-snap" }, Fast);
        await AwsAssert.ErrorCode("DBSnapshotNotFound", () => rds.DeleteDBSnapshotAsync(new DeleteDBSnapshotMessage { DBSnapshotIdentifier = id + "-snap" }));
        await rds.DeleteDBSubnetGroupAsync(new DeleteDBSubnetGroupMessage { DBSubnetGroupName = id });
    }
}

[Collection(MotoCollection.Name)]
public sealed class RdsTestsOnMoto(MotoServer cloud) : RdsTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class RdsTestsOnLocalCloud(LocalCloudTestServer cloud) : RdsTests(cloud);
