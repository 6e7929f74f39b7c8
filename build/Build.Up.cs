using Ops.Targets;

namespace Ops.Build;

/// <summary>up: every create target of the stage in dependency order, independent ones in parallel (--parallel N bounds it).</summary>
sealed partial class Build
{
    Target Up => _ => _
        .Description("Create or correct everything of the stage that exists as a target: roles, groups, topics, tables, buckets, RDS, Redshift ×2, Redis, Firehose, queues, repository, ECS, the web environment; parallel where independent")
        .Validates(CheckStack)
        .DependsOn(CreateIam, CreateSecurityGroups, CreateTopics, CreateDynamodbTables, CreateBuckets, CreateRdsInstance, CreateRedshiftCluster,
            CreateStreamtimeseriesRedshift, CreateRedisCluster, CreateFirehoseStream, CreateQueues, CreateWorkerLogTable, CreateEcrRepository, CreateEcs,
                Create)
        .Executes(() => Log.Info(_changesMade == 0
            ? $"stage {StageStack.Stage} is up: nothing to change"
            : DryRun
                ? $"stage {StageStack.Stage}: {_changesMade} change(s) would be made (dry run)"
                : $"stage {StageStack.Stage} is up: {_changesMade} change(s) made"));
}
