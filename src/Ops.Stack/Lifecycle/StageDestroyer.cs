using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Ops.Aws;
using Ops.Aws.CloudWatchLogs;
using Ops.Aws.Ec2;
using Ops.Aws.Ecs;
using Ops.Aws.ElastiCache;
using Ops.Aws.Firehose;
using Ops.Aws.Lookups;
using Ops.Aws.Rds;
using Ops.Aws.Redshift;
using Ops.Aws.Sns;
using Ops.Aws.Sqs;
using Ops.Aws.Ssm;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Rollout;
using Ops.Stack.Stores;

namespace Ops.Stack.Lifecycle;

/// <summary>
/// destroy: teardown (drain, then the compute), then every data store and resource of the stage, dependents first —
/// Firehose stream; RDS instance and both Redshift clusters, each with a final snapshot (deletion protection turned off
/// first); Redis; DynamoDB tables; buckets (emptied); queues; topics; secrets and deploy records; ECS cluster and log
/// group; security groups; the rollout table, which holds this run's lease; last the stage's roles (GitHub's OIDC provider, the account's, stays). The Elastic
/// Beanstalk application and
/// the ECR repository are shared by every stage and stay. The caller checks the confirmation (--destroy-data, --confirm,
/// --allow-prod) before anything runs. Each step skips what is already gone, so a re-run after a partial one finishes the
/// job.
/// </summary>
public sealed class StageDestroyer(RolloutSession session)
{
    StageContext Context { get; } = session.Context;

    /// <summary>A final snapshot's name: the resource's, -final-, and the time (UTC), unique per run.</summary>
    readonly string _suffix = $"final-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}";

    public async Task<IReadOnlyList<Change>> DestroyAsync(CancellationToken ct)
    {
        var changes = new List<Change>(await new StageTeardown(session, announceKept: false).TeardownAsync(ct));
        Context.Log.Info($"compute {(Context.DryRun ? "would be" : "is")} gone; now the data of stage {Context.Stack.Stage}");
        var slow = Context with { WaitTimeout = TimeSpan.FromMinutes(30) };
        changes.AddRange(await FirehoseAsync(ct));
        changes.AddRange(await RdsAsync(slow, ct));
        foreach (var warehouse in new[] { Context.Stack.Redshift, Context.Stack.TimeSeries })
            changes.AddRange(await WarehouseAsync(slow, warehouse.Cluster, ct));
        changes.AddRange(await RedisAsync(slow, ct));
        changes.AddRange(await TablesAsync([Context.Stack.Tables.Devices, Context.Stack.Tables.FilterLog, Context.Stack.WorkerLogTable], ct));
        changes.AddRange(await BucketsAsync(ct));
        changes.AddRange(await QueuesAsync(ct));
        changes.AddRange(await TopicsAsync(ct));
        changes.AddRange(await ParametersAsync(ct));
        changes.AddRange(await ClusterAsync(ct));
        changes.AddRange(await SecurityGroupsAsync(slow, ct));
        // Last: the rollout table holds this run's lease (taken again, and the table made again, by every run).
        if (!Context.DryRun) await session.ReleaseLeaseAsync();
        changes.AddRange(await TablesAsync([Context.Stack.Rollout.Table], ct));
        changes.AddRange(await new Identity.IamProvisioner(Context).DeleteAsync(ct));
        Context.Log.Info($"kept (shared by every stage): Elastic Beanstalk application {Context.Stack.Web.Application} and its versions, ECR repository {Context.Stack.Repository.Name}");
        return changes;
    }

    static Change Deleted(string resource, string was) => new(resource, "status", was, "deleted");

    async Task<IReadOnlyList<Change>> FirehoseAsync(CancellationToken ct)
    {
        var firehose = new FirehoseClient(Context.Connection);
        var name = Context.Stack.Firehose.Stream;
        if (await FirehoseLookup.StreamAsync(firehose, name, ct) is not { } stream) return [];
        var change = Deleted($"firehose stream {name}", stream.DeliveryStreamStatus ?? "?");
        await Mutation.ApplyAsync(Context, change, () => firehose.DeleteDeliveryStreamAsync(new DeleteDeliveryStreamInput { DeliveryStreamName = name }, ct));
        return [change];
    }

    async Task<IReadOnlyList<Change>> RdsAsync(StageContext slow, CancellationToken ct)
    {
        var rds = new RdsClient(Context.Connection);
        var id = Context.Stack.Database.Identifier;
        Task<DBInstance?> FindAsync(CancellationToken token) => RdsLookup.InstanceAsync(rds, id, token);
        var changes = new List<Change>();
        if (await FindAsync(ct) is { DeletionProtection: true })
        {
            var unprotect = new Change($"rds instance {id}", "deletion protection", "on", "off");
            changes.Add(unprotect);
            var modify = new ModifyDBInstanceMessage { DBInstanceIdentifier = id, DeletionProtection = false, ApplyImmediately = true };
            await Mutation.ApplyAsync(Context, unprotect, () => rds.ModifyDBInstanceAsync(modify, ct));
        }
        var snapshot = $"{id}-{_suffix}";
        changes.AddRange(await DeleteAndWaitAsync(slow, $"rds instance {id}", FindAsync, db => db.DBInstanceStatus, snapshot,
            () => rds.DeleteDBInstanceAsync(new DeleteDBInstanceMessage { DBInstanceIdentifier = id, FinalDBSnapshotIdentifier = snapshot }, ct), ct));
        return changes;
    }

    Task<IReadOnlyList<Change>> WarehouseAsync(StageContext slow, string id, CancellationToken ct)
    {
        var redshift = new RedshiftClient(Context.Connection);
        Task<Ops.Aws.Redshift.Cluster?> FindAsync(CancellationToken token) => RedshiftLookup.ClusterAsync(redshift, id, token);
        var snapshot = $"{id}-{_suffix}";
        return DeleteAndWaitAsync(slow, $"redshift cluster {id}", FindAsync, c => c.ClusterStatus, snapshot,
            () => redshift.DeleteClusterAsync(new DeleteClusterMessage { ClusterIdentifier = id, FinalClusterSnapshotIdentifier = snapshot }, ct), ct);
    }

    Task<IReadOnlyList<Change>> RedisAsync(StageContext slow, CancellationToken ct)
    {
        var cache = new ElastiCacheClient(Context.Connection);
        var id = Context.Stack.Redis.ReplicationGroup;
        Task<ReplicationGroup?> FindAsync(CancellationToken token) => ElastiCacheLookup.ReplicationGroupAsync(cache, id, token);
        return DeleteAndWaitAsync(slow, $"redis replication group {id}", FindAsync, g => g.Status, null,
            () => cache.DeleteReplicationGroupAsync(new DeleteReplicationGroupMessage { ReplicationGroupId = id, RetainPrimaryCluster = false }, ct), ct);
    }

    /// <summary>
    /// Deletes a store found by <paramref name="find"/> (unless it is already deleting; with a final snapshot when named),
    /// then waits until <paramref name="find"/> no longer finds it.
    /// </summary>
    async Task<IReadOnlyList<Change>> DeleteAndWaitAsync<T>(StageContext slow, string resource, Func<CancellationToken, Task<T?>> find, Func<T, string?> status,
        string? snapshot, Func<Task> delete, CancellationToken ct) where T : class
    {
        if (await find(ct) is not { } found) return [];
        var changes = new List<Change>();
        if (status(found) != "deleting")
        {
            var change = new Change(resource, "status", status(found) ?? "?", snapshot == null ? "deleted" : $"deleted (final snapshot {snapshot})");
            changes.Add(change);
            await Mutation.ApplyAsync(Context, change, delete);
        }
        if (!Context.DryRun)
            await Waiting.UntilAsync(slow, resource, async token => await find(token) is { } left ? (false, status(left) ?? "?") : (true, "deleted"), ct);
        return changes;
    }

    async Task<IReadOnlyList<Change>> TablesAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(Context.Connection);
        var changes = new List<Change>();
        foreach (var name in names)
        {
            if (await DynamoDbLookup.TableAsync(dynamo, name, ct) is not { } table) continue;
            if (table.DeletionProtectionEnabled == true)
            {
                var unprotect = new Change($"table {name}", "deletion protection", "on", "off");
                changes.Add(unprotect);
                await Mutation.ApplyAsync(Context, unprotect,
                    () => dynamo.UpdateTableAsync(new UpdateTableRequest { TableName = name, DeletionProtectionEnabled = false }, ct));
            }
            var delete = Deleted($"table {name}", $"{table.TableStatus}, {table.ItemCount} item(s)");
            changes.Add(delete);
            await Mutation.ApplyAsync(Context, delete, () => dynamo.DeleteTableAsync(new DeleteTableRequest { TableName = name }, ct));
        }
        return changes;
    }

    async Task<IReadOnlyList<Change>> BucketsAsync(CancellationToken ct)
    {
        using var s3 = AwsConnectionFactory.CreateS3(Context.Connection);
        var changes = new List<Change>();
        foreach (var bucket in new[] { Context.Stack.Buckets.Statics, Context.Stack.Buckets.Uploads, Context.Stack.Buckets.Firehose })
        {
            var keys = new List<string>();
            try
            {
                var request = new ListObjectsV2Request { BucketName = bucket };
                ListObjectsV2Response page;
                do
                {
                    page = await s3.ListObjectsV2Async(request, ct);
                    keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
                    request.ContinuationToken = page.NextContinuationToken;
                } while (page.IsTruncated == true);
            }
            catch (Exception e) when (AwsErrors.Is(e, "NoSuchBucket"))
            {
                continue;
            }
            var delete = Deleted($"bucket {bucket}", $"{keys.Count} object(s)");
            changes.Add(delete);
            await Mutation.ApplyAsync(Context, delete, async () =>
            {
                foreach (var batch in keys.Chunk(1000))
                {
                    var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket,
                        Objects = batch.Select(k => new KeyVersion { Key = k }).ToList() }, ct);
                    if (result.DeleteErrors is { Count: > 0 } errors)
                        throw new CloudStateException($"could not empty bucket {bucket}: {errors.Count} object(s) not deleted, first {errors[0].Key}: {errors[0].Code}; run destroy again.");
                }
                await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, ct);
            });
        }
        return changes;
    }

    async Task<IReadOnlyList<Change>> QueuesAsync(CancellationToken ct)
    {
        var sqs = new SqsClient(Context.Connection);
        var changes = new List<Change>();
        var queues = Context.Stack.Queues;
        var lookup = new QueueProvisioner(Context);
        foreach (var name in new[] { queues.Work.Name, queues.Report.Name, queues.Work.DeadLetterName, queues.Report.DeadLetterName })
        {
            if (await lookup.FindAsync(name, ct) is not { } url) continue;
            var delete = Deleted($"queue {name}", "exists");
            changes.Add(delete);
            await Mutation.ApplyAsync(Context, delete, () => sqs.DeleteQueueAsync(new DeleteQueueRequest { QueueUrl = url }, ct));
        }
        return changes;
    }

    async Task<IReadOnlyList<Change>> TopicsAsync(CancellationToken ct)
    {
        var sns = new SnsClient(Context.Connection);
        var changes = new List<Change>();
        foreach (var (name, arn) in await new TopicsProvisioner(Context).ArnsAsync(ct))
        {
            var delete = Deleted($"sns topic {name}", "active");
            changes.Add(delete);
            await Mutation.ApplyAsync(Context, delete, () => sns.DeleteTopicAsync(new DeleteTopicInput { TopicArn = arn }, ct));
        }
        return changes;
    }

    /// <summary>The stage's secrets (never read: only their names) and the deploy records.</summary>
    async Task<IReadOnlyList<Change>> ParametersAsync(CancellationToken ct)
    {
        var ssm = new SsmClient(Context.Connection);
        var secrets = Context.Stack.Secrets;
        var deployed = new DeployedVersions(Context);
        var names = secrets.Required.Concat(secrets.Generated).Distinct().Select(secrets.ParameterName)
            .Concat([deployed.WebParameter, deployed.WorkerParameter]).ToList();
        var existing = new List<string>();
        foreach (var batch in names.Chunk(10))
        {
            var found = await ssm.GetParametersAsync(new GetParametersRequest { Names = [.. batch], WithDecryption = false }, ct);
            existing.AddRange((found.Parameters ?? []).Select(p => p.Name!));
        }
        if (existing.Count == 0) return [];
        var delete = new Change($"{existing.Count} SSM parameter(s) of {Context.Stack.Stage}", "status", string.Join(", ", existing), "deleted");
        await Mutation.ApplyAsync(Context, delete, async () =>
        {
            foreach (var batch in existing.Chunk(10))
                await ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = [.. batch] }, ct);
        });
        return [delete];
    }

    async Task<IReadOnlyList<Change>> ClusterAsync(CancellationToken ct)
    {
        var ecs = new EcsClient(Context.Connection);
        var logs = new CloudWatchLogsClient(Context.Connection);
        var stack = Context.Stack.Ecs;
        var changes = new List<Change>();
        var cluster = (await ecs.DescribeClustersAsync(new DescribeClustersRequest { Clusters = [stack.Cluster] },
            ct)).Clusters?.FirstOrDefault(c => c.Status == "ACTIVE");
        if (cluster != null)
        {
            var delete = Deleted($"cluster {stack.Cluster}", "ACTIVE");
            changes.Add(delete);
            await Mutation.ApplyAsync(Context, delete, () => ecs.DeleteClusterAsync(new DeleteClusterRequest { Cluster = stack.Cluster }, ct));
        }
        var group = (await logs.DescribeLogGroupsAsync(new DescribeLogGroupsRequest { LogGroupNamePrefix = stack.LogGroup },
            ct)).LogGroups?.FirstOrDefault(g => g.LogGroupName == stack.LogGroup);
        if (group != null)
        {
            var delete = Deleted($"log group {stack.LogGroup}", "exists");
            changes.Add(delete);
            await Mutation.ApplyAsync(Context, delete, () => logs.DeleteLogGroupAsync(new DeleteLogGroupRequest { LogGroupName = stack.LogGroup }, ct));
        }
        return changes;
    }

    /// <summary>The stores' groups first (their rules name the web and worker groups); a group still in use by a network interface being released is
    /// retried.</summary>
    async Task<IReadOnlyList<Change>> SecurityGroupsAsync(StageContext slow, CancellationToken ct)
    {
        var ec2 = new Ec2Client(Context.Connection);
        var groups = Context.Stack.SecurityGroups;
        var ids = await new SecurityGroupsProvisioner(Context).IdsAsync(ct);
        var changes = new List<Change>();
        foreach (var name in new[] { groups.Database, groups.Cache, groups.Warehouse, groups.Web, Context.Stack.Instances.SecurityGroup })
        {
            if (!ids.TryGetValue(name, out var id)) continue;
            var delete = Deleted($"security group {name}", id);
            changes.Add(delete);
            await Mutation.ApplyAsync(Context, delete, () => Waiting.UntilAsync(slow, $"security group {name}", async token =>
            {
                try
                {
                    await ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = id }, token);
                    return (true, "deleted");
                }
                catch (Exception e) when (AwsErrors.Is(e, "DependencyViolation"))
                {
                    return (false, "in use (a deleted resource's network interface is still being released)");
                }
            }, ct));
        }
        return changes;
    }
}
