namespace Ops.Stack.Model;

/// <summary>
/// The resolved stack of one stage: every name, size and setting a target needs, with the stack file's
/// overrides applied to the built-in defaults and <c>{stage}</c> expanded. Validated before any AWS call.
/// </summary>
public sealed record StageStack
{
    /// <summary>The stage's name as given to <c>--stage</c> (dev, stage, prod, or one the stack file defines).</summary>
    public required string Stage { get; init; }

    /// <summary>
    /// A protected stage's data and compute are guarded: destroy needs <c>--allow-prod</c>, teardown and drill need
    /// <c>--confirm &lt;stage&gt;</c>. True for prod and every stage <c>like: prod</c> unless the stack says otherwise.
    /// </summary>
    public bool Protected { get; init; }

    /// <summary>The project name, also the <c>Project</c> tag (IOTileCloud).</summary>
    public required string Project { get; init; }

    /// <summary>Tags on every resource: the stack's tags plus Project, Stage and ManagedBy=Ops.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public required QueuesSpec Queues { get; init; }

    /// <summary>The DynamoDB worker-log table (<c>iotile-worker-logs-{stage}</c>): one item per processed message.</summary>
    public required string WorkerLogTable { get; init; }

    public required RepositorySpec Repository { get; init; }

    public required ImageSpec Image { get; init; }

    public required WorkerSpec Worker { get; init; }

    public required EcsSpec Ecs { get; init; }

    public required InstancesSpec Instances { get; init; }

    public required LocalSpec Local { get; init; }

    /// <summary>The drain-aware rollout: its table and timeouts.</summary>
    public required RolloutSpec Rollout { get; init; }

    /// <summary>Security groups of the web tier and the data stores.</summary>
    public required SecurityGroupsSpec SecurityGroups { get; init; }

    /// <summary>RDS PostgreSQL.</summary>
    public required DatabaseSpec Database { get; init; }

    /// <summary>The analytics Redshift cluster (create-redshift-cluster).</summary>
    public required WarehouseSpec Redshift { get; init; }

    /// <summary>The stream-timeseries Redshift cluster Firehose loads (create-streamtimeseries-redshift).</summary>
    public required WarehouseSpec TimeSeries { get; init; }

    /// <summary>ElastiCache Redis.</summary>
    public required CacheSpec Redis { get; init; }

    /// <summary>The Firehose delivery stream.</summary>
    public required FirehoseSpec Firehose { get; init; }

    /// <summary>SNS topics.</summary>
    public required TopicsSpec Topics { get; init; }

    /// <summary>DynamoDB tables besides the worker-log and rollout tables.</summary>
    public required TablesSpec Tables { get; init; }

    /// <summary>S3 buckets.</summary>
    public required BucketsSpec Buckets { get; init; }

    /// <summary>Web statics: build, upload, invalidate.</summary>
    public required StaticsSpec Statics { get; init; }

    /// <summary>The Elastic Beanstalk web tier.</summary>
    public required WebSpec Web { get; init; }

    /// <summary>Secrets in SSM Parameter Store.</summary>
    public required SecretsSpec Secrets { get; init; }

    /// <summary>The stage's IAM roles (create-iam).</summary>
    public IamSpec Iam { get; init; } = new();

    /// <summary>The CI/CD workflows generate-pipelines writes for the stage.</summary>
    public PipelineSpec Pipeline { get; init; } = new();
}
