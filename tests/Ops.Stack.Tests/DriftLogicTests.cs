using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.ElastiCache;
using Ops.Aws.Rds;
using Ops.Aws.Redshift;
using Ops.Stack.Core;
using Ops.Stack.Model;
using Ops.Stack.Stores;

namespace Ops.Stack.Tests;

/// <summary>
/// Each store provisioner's drift decision as pure logic, without a cloud: which settings of an existing resource
/// differ from the stack, what each is shown as, and what the correction sets on the service's modify request.
/// </summary>
public sealed class DriftLogicTests
{
    /// <summary>A context nobody calls: constructing a provisioner opens no connection.</summary>
    static StageContext Context(StageStack stack) => new()
    {
        Connection = new AwsConnection { Credentials = new BasicAWSCredentials("unused", "unused"), Region = "us-east-1", EndpointUrl = new Uri("http://127.0.0.1:9") },
        Stack = stack,
        Log = new CapturedLog(),
    };

    static StageStack Stack(string yaml = "defaults: {}\n", string stage = "dev") => StackLoader.Parse("ops.stack.yml", yaml).For(stage);

    static DBInstance Matching(DatabaseSpec spec) => new()
    {
        DBInstanceClass = spec.InstanceClass,
        AllocatedStorage = spec.StorageGb,
        MultiAZ = spec.MultiAz,
        BackupRetentionPeriod = spec.BackupRetentionDays,
        DeletionProtection = spec.DeletionProtection,
        PubliclyAccessible = false,
    };

    [Fact]
    public void An_rds_instance_as_the_stack_says_has_no_drift()
    {
        var stack = Stack();
        Assert.Empty(new RdsInstanceProvisioner(Context(stack)).Differences(Matching(stack.Database)));
    }

    [Fact]
    public void Every_rds_setting_that_differs_is_one_drift_and_its_correction()
    {
        var stack = Stack();
        var spec = stack.Database;
        var existing = Matching(spec);
        existing.DBInstanceClass = "db.r5.4xlarge";
        existing.AllocatedStorage = spec.StorageGb - 5;
        existing.MultiAZ = !spec.MultiAz;
        existing.BackupRetentionPeriod = spec.BackupRetentionDays + 1;
        existing.DeletionProtection = !spec.DeletionProtection;
        existing.PubliclyAccessible = true;
        var drifts = new RdsInstanceProvisioner(Context(stack)).Differences(existing).ToList();
        Assert.Equal(["instance class", "storage GiB", "Multi-AZ", "backup retention days", "deletion protection", "publicly accessible"], drifts.Select(d => d.Setting));
        Assert.Equal($"instance class: db.r5.4xlarge → {spec.InstanceClass}", drifts[0].ToString());

        var modify = new ModifyDBInstanceMessage();
        var changes = SettingDrift<ModifyDBInstanceMessage>.ApplyAll("rds instance x", drifts, modify);
        Assert.Equal(6, changes.Count);
        Assert.Equal((spec.InstanceClass, spec.StorageGb, spec.MultiAz, spec.BackupRetentionDays, spec.DeletionProtection, false),
            (modify.DBInstanceClass, modify.AllocatedStorage, modify.MultiAZ, modify.BackupRetentionPeriod, modify.DeletionProtection,
                modify.PubliclyAccessible));
    }

    [Fact]
    public void Rds_storage_is_never_shrunk()
    {
        var stack = Stack();
        var existing = Matching(stack.Database);
        existing.AllocatedStorage = stack.Database.StorageGb + 100;
        Assert.Empty(new RdsInstanceProvisioner(Context(stack)).Differences(existing));
    }

    [Fact]
    public void A_password_is_set_only_when_this_run_generated_its_secret()
    {
        static List<SettingDrift<ModifyDBInstanceMessage>> Drift(bool hadSecret, string? password) =>
            SettingDrift<ModifyDBInstanceMessage>.NewPassword(hadSecret, password, "/iotile/dev/RdsPassword", (m, p) => m.MasterUserPassword = p).ToList();
        Assert.Empty(Drift(hadSecret: true, "s3cret"));
        Assert.Empty(Drift(hadSecret: false, null));   // a dry run generates nothing
        var drift = Assert.Single(Drift(hadSecret: false, "s3cret"));
        Assert.Equal("master password: (not in SSM) → the generated /iotile/dev/RdsPassword", drift.ToString());
        Assert.DoesNotContain("s3cret", drift.ToString());
        var modify = new ModifyDBInstanceMessage();
        drift.Apply(modify);
        Assert.Equal("s3cret", modify.MasterUserPassword);
    }

    [Fact]
    public void A_redshift_cluster_drifts_on_size_and_public_access_only()
    {
        var stack = Stack();
        var spec = stack.Redshift;
        var provisioner = new WarehouseProvisioner(Context(stack), spec);
        Assert.Empty(provisioner.Differences(new Cluster { NodeType = spec.NodeType, NumberOfNodes = spec.Nodes, PubliclyAccessible = false }));

        var drifts = provisioner.Differences(new Cluster { NodeType = "dc2.large", NumberOfNodes = 3, PubliclyAccessible = true }).ToList();
        Assert.Equal(["nodes", "publicly accessible"], drifts.Select(d => d.Setting));
        Assert.Equal($"nodes: 3 × dc2.large → {spec.Nodes} × {spec.NodeType}", drifts[0].ToString());
        var modify = new ModifyClusterMessage();
        SettingDrift<ModifyClusterMessage>.ApplyAll("redshift cluster x", drifts, modify);
        Assert.Equal((spec.NodeType, spec.Nodes > 1 ? "multi-node" : "single-node", spec.Nodes > 1 ? spec.Nodes : (int?)null, (bool?)false),
            (modify.NodeType, modify.ClusterType, modify.NumberOfNodes, modify.PubliclyAccessible));
    }

    [Fact]
    public void A_redis_group_drifts_on_node_type_and_failover_once_its_members_match()
    {
        var stack = Stack("defaults:\n  redis: {nodes: 2}\n");
        var spec = stack.Redis;
        var provisioner = new RedisProvisioner(Context(stack));
        var members = new List<string> { "a", "b" };
        Assert.Empty(provisioner.Differences(new ReplicationGroup { CacheNodeType = spec.NodeType, AutomaticFailover = "enabled", MemberClusters = members }));

        var drifts = provisioner.Differences(new ReplicationGroup { CacheNodeType = "cache.r6g.xlarge", AutomaticFailover = "disabled", MemberClusters = members }).ToList();
        Assert.Equal(["node type", "automatic failover"], drifts.Select(d => d.Setting));
        var modify = new ModifyReplicationGroupMessage();
        SettingDrift<ModifyReplicationGroupMessage>.ApplyAll("redis x", drifts, modify);
        Assert.Equal((spec.NodeType, (bool?)true, (bool?)true), (modify.CacheNodeType, modify.AutomaticFailoverEnabled, modify.MultiAZEnabled));

        // While a node is still being added or removed, failover is not touched: ElastiCache refuses it then.
        Assert.DoesNotContain(provisioner.Differences(new ReplicationGroup { CacheNodeType = spec.NodeType, AutomaticFailover = "disabled", MemberClusters = ["a"] }),
            d => d.Setting == "automatic failover");
    }

    [Fact]
    public void A_table_drifts_on_billing_encryption_and_a_reported_lack_of_deletion_protection()
    {
        var good = new TableDescription
        {
            BillingModeSummary = new BillingModeSummary { BillingMode = BillingMode.PAY_PER_REQUEST },
            SSEDescription = new SSEDescription { Status = SSEStatus.ENABLED },
            DeletionProtectionEnabled = true,
        };
        Assert.Empty(TablesProvisioner.Differences(good));

        var bad = new TableDescription
        {
            BillingModeSummary = new BillingModeSummary { BillingMode = BillingMode.PROVISIONED },
            SSEDescription = new SSEDescription { Status = SSEStatus.DISABLED },
            DeletionProtectionEnabled = false,
        };
        var drifts = TablesProvisioner.Differences(bad).ToList();
        Assert.Equal(["billing mode", "SSE", "deletion protection"], drifts.Select(d => d.Setting));
        var update = new UpdateTableRequest();
        foreach (var drift in drifts) drift.Apply(update);
        Assert.Equal((BillingMode.PAY_PER_REQUEST, (bool?)true, (bool?)true),
            (update.BillingMode, update.SSESpecification?.Enabled, update.DeletionProtectionEnabled));

        // An emulator that does not report deletion protection is not drift.
        Assert.Empty(TablesProvisioner.Differences(new TableDescription { BillingModeSummary = good.BillingModeSummary,
            SSEDescription = good.SSEDescription }));
    }
}
