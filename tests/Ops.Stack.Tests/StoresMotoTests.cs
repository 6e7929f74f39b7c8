using Ops.Stack.Stores;

namespace Ops.Stack.Tests;

/// <summary>The data-store targets against moto, an emulator nobody here wrote, checked with the aws CLI: our calls are AWS's.</summary>
[Collection(MotoCloudCollection.Name)]
public sealed class StoresMotoTests(MotoCloud moto)
{
    [Fact]
    public async Task Groups_topics_tables_buckets_rds_redshift_redis_and_firehose_are_created_on_moto_as_the_stack_says()
    {
        var stack = FleetCloud.Stack("ms1");
        await new SecurityGroupsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        await new TopicsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        await new TablesProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        var log = new CapturedLog();
        await new RdsInstanceProvisioner(moto.Context(stack, log)).EnsureAsync(default);
        await new WarehouseProvisioner(moto.Context(stack, log), stack.Redshift).EnsureAsync(default);
        await new RedisProvisioner(moto.Context(stack, log)).EnsureAsync(default);

        var groups = (await AwsCli.Run(moto.Url, "ec2", "describe-security-groups", "--filters", "Name=group-name,Values=iotile-db-ms1,iotile-web-ms1"))!["SecurityGroups"]!.AsArray();
        var web = groups.Single(g => g!["GroupName"]!.ToString() == "iotile-web-ms1")!["GroupId"]!.ToString();
        var db = groups.Single(g => g!["GroupName"]!.ToString() == "iotile-db-ms1")!;
        Assert.Contains(db["IpPermissions"]!.AsArray(), r => (int)r!["FromPort"]! == 5432 && r["UserIdGroupPairs"]!.AsArray().Any(p => p!["GroupId"]!.ToString() == web));
        Assert.DoesNotContain(db["IpPermissions"]!.AsArray(), r => r!["IpRanges"]?.AsArray().Count > 0);

        var topics = (await AwsCli.Run(moto.Url, "sns", "list-topics"))!["Topics"]!.AsArray().Select(t => t!["TopicArn"]!.ToString()).ToList();
        Assert.Contains(topics, t => t.EndsWith(":iotile-redis-notifications-ms1", StringComparison.Ordinal));
        var devices = (await AwsCli.Run(moto.Url, "dynamodb", "describe-table", "--table-name", "iotile-devices-ms1"))!["Table"]!;
        Assert.Equal(TablesProvisioner.ProjectIndex, devices["GlobalSecondaryIndexes"]![0]!["IndexName"]!.ToString());

        var instance = (await AwsCli.Run(moto.Url, "rds", "describe-db-instances", "--db-instance-identifier", "iotile-db-ms1"))!["DBInstances"]![0]!;
        Assert.True((bool)instance["StorageEncrypted"]!);
        Assert.True((bool)instance["DeletionProtection"]!);
        Assert.Equal("postgres", instance["Engine"]!.ToString());
        var cluster = (await AwsCli.Run(moto.Url, "redshift", "describe-clusters", "--cluster-identifier", "iotile-redshift-ms1"))!["Clusters"]![0]!;
        Assert.True((bool)cluster["Encrypted"]!);
        var redis = (await AwsCli.Run(moto.Url, "elasticache", "describe-replication-groups", "--replication-group-id", "iotile-redis-ms1"))!["ReplicationGroups"]![0]!;
        Assert.True((bool)redis["AtRestEncryptionEnabled"]!);

        var password = (await AwsCli.Run(moto.Url, "ssm", "get-parameter", "--name", "iotilecloud.ms1.RdsPassword", "--with-decryption"))!["Parameter"]!["Value"]!.ToString();
        Assert.DoesNotContain(password, log.Text);

        await new BucketsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        var block = (await AwsCli.Run(moto.Url, "s3api", "get-public-access-block", "--bucket", "iotile-uploads-ms1"))!["PublicAccessBlockConfiguration"]!;
        Assert.True((bool)block["RestrictPublicBuckets"]!);
        var rule = (await AwsCli.Run(moto.Url, "s3api", "get-bucket-lifecycle-configuration", "--bucket", "iotile-uploads-ms1"))!["Rules"]![0]!;
        Assert.Equal(30, (int)rule["Expiration"]!["Days"]!);

        await new WarehouseProvisioner(moto.Context(stack, new CapturedLog()), stack.TimeSeries).EnsureAsync(default);
        await new FirehoseProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default);
        var stream = (await AwsCli.Run(moto.Url, "firehose", "describe-delivery-stream", "--delivery-stream-name", "iotile-streamtimeseries-ms1"))!["DeliveryStreamDescription"]!;
        Assert.Equal("stream_data", stream["Destinations"]![0]!["RedshiftDestinationDescription"]!["CopyCommand"]!["DataTableName"]!.ToString());

        // A second run against moto: the groups, topics and tables are up to date (moto keeps them as AWS does).
        Assert.Empty(await new SecurityGroupsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(await new TopicsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(await new TablesProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(await new RdsInstanceProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(await new BucketsProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(await new FirehoseProvisioner(moto.Context(stack, new CapturedLog())).EnsureAsync(default));
    }
}
