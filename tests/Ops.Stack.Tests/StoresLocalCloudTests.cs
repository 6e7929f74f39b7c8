using System.Text.Json.Nodes;
using Ops.Stack.Core;
using Ops.Stack.Model;
using Ops.Stack.Secrets;
using Ops.Stack.Stores;

namespace Ops.Stack.Tests;

/// <summary>The data-store targets' domain on LocalCloud over the real wire, checked with the aws CLI and the request log.</summary>
[Collection(FleetCloudCollection.Name)]
public sealed class StoresLocalCloudTests(FleetCloud cloud)
{
    Task<JsonNode?> Cli(params string[] args) => AwsCli.Run(cloud.Server.Url, args);

    async Task<string> SecretAsync(StageStack stack, string name) =>
        (await Cli("ssm", "get-parameter", "--name", stack.Secrets.ParameterName(name), "--with-decryption"))!["Parameter"]!["Value"]!.ToString();

    [Fact]
    public async Task Security_groups_admit_each_store_port_only_from_web_and_workers_and_revoke_address_ranges()
    {
        var stack = FleetCloud.Stack("sg1");
        await new SecurityGroupsProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        var groups = (await Cli("ec2", "describe-security-groups", "--filters", "Name=group-name,Values=iotile-web-sg1,iotile-ecs-sg1,iotile-db-sg1,iotile-cache-sg1,iotile-redshift-sg1"))!["SecurityGroups"]!
            .AsArray().ToDictionary(g => g!["GroupName"]!.ToString(), g => g!);
        Assert.Equal(5, groups.Count);
        var web = groups["iotile-web-sg1"]["GroupId"]!.ToString();
        var workers = groups["iotile-ecs-sg1"]["GroupId"]!.ToString();
        foreach (var (name, port) in new[] { ("iotile-db-sg1", 5432), ("iotile-cache-sg1", 6379), ("iotile-redshift-sg1", 5439) })
        {
            var rules = groups[name]["IpPermissions"]!.AsArray();
            Assert.Equal(2, rules.Count);
            Assert.All(rules, r => Assert.Equal(port, (int)r!["FromPort"]!));
            Assert.All(rules, r => Assert.Empty(r!["IpRanges"]?.AsArray() ?? []));
            Assert.Equal(new[] { web, workers }.Order(), rules.Select(r => r!["UserIdGroupPairs"]![0]!["GroupId"]!.ToString()).Order());
            Assert.Contains(groups[name]["Tags"]!.AsArray(), t => t!["Key"]!.ToString() == "ManagedBy" && t["Value"]!.ToString() == "Ops");
        }
        Assert.Empty(groups["iotile-web-sg1"]["IpPermissions"]!.AsArray());

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        Assert.Empty(await new SecurityGroupsProvisioner(cloud.Context(stack, again)).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("up to date", again.Text);

        var db = groups["iotile-db-sg1"]["GroupId"]!.ToString();
        await Cli("ec2", "authorize-security-group-ingress", "--group-id", db, "--protocol", "tcp", "--port", "5432", "--cidr", "0.0.0.0/0");
        var fix = new CapturedLog();
        await new SecurityGroupsProvisioner(cloud.Context(stack, fix)).EnsureAsync(default);
        Assert.Contains("security group iotile-db-sg1: ingress from address ranges tcp 5432-5432 from 0.0.0.0/0 → (none)", fix.Text);
        var rulesAfter = (await Cli("ec2", "describe-security-groups", "--group-ids", db))!["SecurityGroups"]![0]!["IpPermissions"]!.AsArray();
        Assert.DoesNotContain(rulesAfter, r => r!["IpRanges"]?.AsArray().Count > 0);
    }

    [Fact]
    public async Task Rds_instance_is_encrypted_protected_private_with_a_generated_password_that_is_never_printed()
    {
        var stack = FleetCloud.Stack("rds1");
        await new SecurityGroupsProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        var log = new CapturedLog();
        await new RdsInstanceProvisioner(cloud.Context(stack, log)).EnsureAsync(default);

        var db = (await Cli("rds", "describe-db-instances", "--db-instance-identifier", "iotile-db-rds1"))!["DBInstances"]![0]!;
        Assert.Equal("available", db["DBInstanceStatus"]!.ToString());
        Assert.Equal("postgres", db["Engine"]!.ToString());
        Assert.True((bool)db["StorageEncrypted"]!);
        Assert.True((bool)db["DeletionProtection"]!);
        Assert.False((bool)db["PubliclyAccessible"]!);
        Assert.False((bool)db["MultiAZ"]!);
        Assert.Equal(7, (int)db["BackupRetentionPeriod"]!);
        Assert.Equal("iotile", db["MasterUsername"]!.ToString());
        var dbGroup = (await Cli("ec2", "describe-security-groups", "--filters", "Name=group-name,Values=iotile-db-rds1"))!["SecurityGroups"]![0]!["GroupId"]!.ToString();
        Assert.Equal(dbGroup, db["VpcSecurityGroups"]![0]!["VpcSecurityGroupId"]!.ToString());

        var parameter = (await Cli("ssm", "describe-parameters", "--parameter-filters", "Key=Name,Values=iotilecloud.rds1.RdsPassword"))!["Parameters"]![0]!;
        Assert.Equal("SecureString", parameter["Type"]!.ToString());
        var password = await SecretAsync(stack, "RdsPassword");
        Assert.Equal(RdsInstanceProvisioner.PasswordLength, password.Length);
        Assert.Contains(password, log.Secrets);
        Assert.DoesNotContain(password, log.Text);
        Assert.Contains("rds instance iotile-db-rds1: available at", log.Text);

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        Assert.Empty(await new RdsInstanceProvisioner(cloud.Context(stack, again)).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Equal(password, await SecretAsync(stack, "RdsPassword"));

        var bigger = stack with { Database = stack.Database with { InstanceClass = "db.m7g.large", StorageGb = 50 } };
        var fix = new CapturedLog();
        await new RdsInstanceProvisioner(cloud.Context(bigger, fix)).EnsureAsync(default);
        Assert.Contains("rds instance iotile-db-rds1: instance class db.t4g.micro → db.m7g.large", fix.Text);
        Assert.Contains("rds instance iotile-db-rds1: storage GiB 20 → 50", fix.Text);
        db = (await Cli("rds", "describe-db-instances", "--db-instance-identifier", "iotile-db-rds1"))!["DBInstances"]![0]!;
        Assert.Equal("db.m7g.large", db["DBInstanceClass"]!.ToString());

        var upgrade = bigger with { Database = bigger.Database with { EngineVersion = "18.1" } };
        var refused = await Assert.ThrowsAsync<CloudStateException>(() => new RdsInstanceProvisioner(cloud.Context(upgrade,
            new CapturedLog())).EnsureAsync(default));
        Assert.Contains("a major upgrade is not done implicitly", refused.Message);
    }

    [Fact]
    public async Task Redshift_clusters_and_redis_are_encrypted_use_their_groups_and_secrets_and_are_idempotent()
    {
        var stack = FleetCloud.Stack("wh1");
        await new SecurityGroupsProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        await new TopicsProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        var log = new CapturedLog();
        await new WarehouseProvisioner(cloud.Context(stack, log), stack.Redshift).EnsureAsync(default);
        await new WarehouseProvisioner(cloud.Context(stack, log), stack.TimeSeries).EnsureAsync(default);
        await new RedisProvisioner(cloud.Context(stack, log)).EnsureAsync(default);

        foreach (var id in new[] { "iotile-redshift-wh1", "iotile-streamtimeseries-wh1" })
        {
            var cluster = (await Cli("redshift", "describe-clusters", "--cluster-identifier", id))!["Clusters"]![0]!;
            Assert.True((bool)cluster["Encrypted"]!);
            Assert.False((bool)cluster["PubliclyAccessible"]!);
            Assert.Equal("available", cluster["ClusterStatus"]!.ToString());
            Assert.Contains(cluster["Tags"]!.AsArray(), t => t!["Key"]!.ToString() == "Stage" && t["Value"]!.ToString() == "wh1");
        }
        var group = (await Cli("elasticache", "describe-replication-groups", "--replication-group-id", "iotile-redis-wh1"))!["ReplicationGroups"]![0]!;
        Assert.True((bool)group["AtRestEncryptionEnabled"]!);
        Assert.True((bool)group["TransitEncryptionEnabled"]!);
        Assert.True((bool)group["AuthTokenEnabled"]!);
        Assert.Equal("available", group["Status"]!.ToString());

        var passwords = new[] { await SecretAsync(stack, "RedshiftPassword"), await SecretAsync(stack, "StreamTimeSeriesPassword"), await SecretAsync(stack, "RedisAuthToken") };
        Assert.Equal(3, passwords.Distinct().Count());
        Assert.Equal(RedisProvisioner.TokenLength, passwords[2].Length);
        Assert.All(passwords, p => Assert.DoesNotContain(p, log.Text));
        Assert.All(passwords, p => Assert.Contains(p, log.Secrets));

        var before = cloud.Server.Requests.Entries.Count;
        Assert.Empty(await new WarehouseProvisioner(cloud.Context(stack, new CapturedLog()), stack.Redshift).EnsureAsync(default));
        Assert.Empty(await new WarehouseProvisioner(cloud.Context(stack, new CapturedLog()), stack.TimeSeries).EnsureAsync(default));
        Assert.Empty(await new RedisProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(await new TopicsProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));

        var rows = await new RedisProvisioner(cloud.Context(stack, new CapturedLog())).StatusAsync(default);
        Assert.True(rows.Single().Healthy, string.Join(", ", rows.Single().Drift));
    }

    [Fact]
    public async Task Tables_have_their_key_schemas_index_encryption_and_a_different_schema_is_refused()
    {
        var stack = FleetCloud.Stack("tb1");
        await new TablesProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        var devices = (await Cli("dynamodb", "describe-table", "--table-name", "iotile-devices-tb1"))!["Table"]!;
        Assert.Equal("slug", devices["KeySchema"]![0]!["AttributeName"]!.ToString());
        Assert.Equal(TablesProvisioner.ProjectIndex, devices["GlobalSecondaryIndexes"]![0]!["IndexName"]!.ToString());
        Assert.Equal("ENABLED", devices["SSEDescription"]!["Status"]!.ToString());
        var filter = (await Cli("dynamodb", "describe-table", "--table-name", "iotile-filter-log-tb1"))!["Table"]!;
        Assert.Equal("id:HASH,timestamp:RANGE", string.Join(",", filter["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]}:{k["KeyType"]}")));

        Assert.True((bool)devices["DeletionProtectionEnabled"]!);
        var before = cloud.Server.Requests.Entries.Count;
        Assert.Empty(await new TablesProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));

        // Protection turned off by hand is drift: the next run turns it back on.
        await Cli("dynamodb", "update-table", "--table-name", "iotile-devices-tb1", "--no-deletion-protection-enabled");
        var corrected = await new TablesProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        Assert.Equal("deletion protection", Assert.Single(corrected).Setting);
        Assert.True((bool)(await Cli("dynamodb", "describe-table", "--table-name", "iotile-devices-tb1"))!["Table"]!["DeletionProtectionEnabled"]!);

        var clash = stack with { Tables = stack.Tables with { Devices = "iotile-filter-log-tb1" } };
        var refused = await Assert.ThrowsAsync<CloudStateException>(() => new TablesProvisioner(cloud.Context(clash, new CapturedLog())).EnsureAsync(default));
        Assert.Contains("exists with the key schema id:HASH,timestamp:RANGE, not slug:HASH", refused.Message);
    }

    [Fact]
    public async Task Dry_run_of_every_store_makes_no_mutating_call_and_a_store_without_its_group_names_the_target_to_run()
    {
        var stack = FleetCloud.Stack("sdry");
        var before = cloud.Server.Requests.Entries.Count;
        var log = new CapturedLog();
        await new SecurityGroupsProvisioner(cloud.Context(stack, log, dryRun: true)).EnsureAsync(default);
        await new TopicsProvisioner(cloud.Context(stack, log, dryRun: true)).EnsureAsync(default);
        await new TablesProvisioner(cloud.Context(stack, log, dryRun: true)).EnsureAsync(default);
        await new RdsInstanceProvisioner(cloud.Context(stack, log, dryRun: true)).EnsureAsync(default);
        await new WarehouseProvisioner(cloud.Context(stack, log, dryRun: true), stack.Redshift).EnsureAsync(default);
        await new RedisProvisioner(cloud.Context(stack, log, dryRun: true)).EnsureAsync(default);
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("would change security group iotile-db-sdry: create", log.Text);
        Assert.Contains("would change secret iotilecloud.sdry.RdsPassword: create", log.Text);
        Assert.Contains("would change rds instance iotile-db-sdry: create", log.Text);
        Assert.Contains("would change redis replication group iotile-redis-sdry: create", log.Text);
        Assert.Contains("would change table iotile-devices-sdry: create", log.Text);

        var missing = await Assert.ThrowsAsync<CloudStateException>(() => new RdsInstanceProvisioner(cloud.Context(stack,
            new CapturedLog())).EnsureAsync(default));
        Assert.Contains("run ./build.sh create-security-groups --stage sdry first", missing.Message);
    }

    [Fact]
    public async Task A_generated_secret_is_made_once_and_kept_by_every_later_or_parallel_run()
    {
        var stack = FleetCloud.Stack("sec1");
        var values = await Task.WhenAll(Enumerable.Range(0,
            4).Select(_ => new SecretStore(cloud.Context(stack, new CapturedLog())).EnsureGeneratedAsync("SecretKey", 50, default)));
        Assert.Single(values.Distinct());
        Assert.Equal(values[0], await SecretAsync(stack, "SecretKey"));
        Assert.Matches("^[A-Za-z0-9]{50}$", values[0]!);
        Assert.Null(await new SecretStore(cloud.Context(stack, new CapturedLog())).GetAsync("NotThere", default));
    }

    [Fact]
    public async Task Buckets_are_encrypted_private_tagged_uploads_expire_and_a_changed_setting_is_put_back()
    {
        var stack = FleetCloud.Stack("bk1");
        var log = new CapturedLog();
        await new BucketsProvisioner(cloud.Context(stack, log)).EnsureAsync(default);
        foreach (var bucket in new[] { "iotile-statics-bk1", "iotile-uploads-bk1", "iotile-firehose-bk1" })
        {
            var block = (await Cli("s3api", "get-public-access-block", "--bucket", bucket))!["PublicAccessBlockConfiguration"]!;
            Assert.True((bool)block["BlockPublicAcls"]! && (bool)block["BlockPublicPolicy"]! && (bool)block["IgnorePublicAcls"]! && (bool)block["RestrictPublicBuckets"]!);
            var sse = (await Cli("s3api", "get-bucket-encryption", "--bucket", bucket))!["ServerSideEncryptionConfiguration"]!["Rules"]![0]!;
            Assert.Equal("AES256", sse["ApplyServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.ToString());
            var tags = (await Cli("s3api", "get-bucket-tagging", "--bucket", bucket))!["TagSet"]!.AsArray();
            Assert.Contains(tags, t => t!["Key"]!.ToString() == "Stage" && t["Value"]!.ToString() == "bk1");
        }
        var rule = (await Cli("s3api", "get-bucket-lifecycle-configuration", "--bucket", "iotile-uploads-bk1"))!["Rules"]![0]!;
        Assert.Equal(30, (int)rule["Expiration"]!["Days"]!);
        var (code, _, err) = await AwsCli.Try(cloud.Server.Url, "s3api", "get-bucket-lifecycle-configuration", "--bucket", "iotile-statics-bk1");
        Assert.NotEqual(0, code);
        Assert.Contains("NoSuchLifecycleConfiguration", err);

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        Assert.Empty(await new BucketsProvisioner(cloud.Context(stack, again)).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("up to date", again.Text);

        await Cli("s3api", "delete-public-access-block", "--bucket", "iotile-statics-bk1");
        var shorter = stack with { Buckets = stack.Buckets with { UploadsExpiryDays = 7 } };
        var fix = new CapturedLog();
        await new BucketsProvisioner(cloud.Context(shorter, fix)).EnsureAsync(default);
        Assert.Contains("bucket iotile-statics-bk1: public access block (none) → all blocked", fix.Text);
        Assert.Contains("bucket iotile-uploads-bk1: lifecycle expiry days 30 → 7", fix.Text);
        rule = (await Cli("s3api", "get-bucket-lifecycle-configuration", "--bucket", "iotile-uploads-bk1"))!["Rules"]![0]!;
        Assert.Equal(7, (int)rule["Expiration"]!["Days"]!);
        Assert.True((await new BucketsProvisioner(cloud.Context(shorter, new CapturedLog())).StatusAsync(default)).All(r => r.Healthy && r.Drift.Count == 0));
    }

    [Fact]
    public async Task The_firehose_stream_loads_the_timeseries_cluster_through_the_firehose_bucket_and_never_shows_the_password()
    {
        var stack = FleetCloud.Stack("fh1");
        var missing = await Assert.ThrowsAsync<CloudStateException>(() => new FirehoseProvisioner(cloud.Context(stack,
            new CapturedLog())).EnsureAsync(default));
        Assert.Contains("run ./build.sh create-streamtimeseries-redshift --stage fh1 first", missing.Message);

        await new SecurityGroupsProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        await new BucketsProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        await new WarehouseProvisioner(cloud.Context(stack, new CapturedLog()), stack.TimeSeries).EnsureAsync(default);
        var log = new CapturedLog();
        await new FirehoseProvisioner(cloud.Context(stack, log)).EnsureAsync(default);
        var stream = (await Cli("firehose", "describe-delivery-stream", "--delivery-stream-name", "iotile-streamtimeseries-fh1"))!["DeliveryStreamDescription"]!;
        var redshift = stream["Destinations"]![0]!["RedshiftDestinationDescription"]!;
        var cluster = (await Cli("redshift", "describe-clusters", "--cluster-identifier", "iotile-streamtimeseries-fh1"))!["Clusters"]![0]!["Endpoint"]!;
        Assert.Equal($"jdbc:redshift://{cluster["Address"]}:{cluster["Port"]}/iotile", redshift["ClusterJDBCURL"]!.ToString());
        Assert.Equal("stream_data", redshift["CopyCommand"]!["DataTableName"]!.ToString());
        Assert.Equal("arn:aws:iam::123456789012:role/iotile-firehose-fh1", redshift["RoleARN"]!.ToString());
        Assert.Equal("arn:aws:s3:::iotile-firehose-fh1", redshift["S3DestinationDescription"]!["BucketARN"]!.ToString());
        Assert.Null(redshift["Password"]);
        var password = await SecretAsync(stack, "StreamTimeSeriesPassword");
        Assert.DoesNotContain(password, log.Text);
        Assert.DoesNotContain(password, stream.ToJsonString());

        var before = cloud.Server.Requests.Entries.Count;
        Assert.Empty(await new FirehoseProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));
        var moved = stack with { Firehose = stack.Firehose with { Table = "other_table" } };
        var drift = await Assert.ThrowsAsync<CloudStateException>(() => new FirehoseProvisioner(cloud.Context(moved, new CapturedLog())).EnsureAsync(default));
        Assert.Contains("table: stream_data → other_table", drift.Message);
        Assert.Contains("table: stream_data → other_table", (await new FirehoseProvisioner(cloud.Context(moved, new CapturedLog())).StatusAsync(default)).Single().Drift);
    }
}
