using Ops.Stack.Stores;
using Ops.Targets;

namespace Ops.Build;

/// <summary>The data and messaging targets: security groups, RDS, the two Redshift clusters, Redis, SNS topics, DynamoDB tables, S3 buckets.</summary>
sealed partial class Build
{
    Target CreateSecurityGroups => _ => _
        .Description("Create or correct the stage's web, worker and data-store security groups (each store's port open only to web and workers)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new SecurityGroupsProvisioner(f).EnsureAsync(ct), ct));

    Target CreateRdsInstance => _ => _
        .Description("Create or correct the stage's RDS PostgreSQL (encrypted, deletion-protected, password generated into SSM) and wait until available")
        .Validates(CheckStack)
        .DependsOn(CreateSecurityGroups)
        .Executes(ct => FleetAsync(f => new RdsInstanceProvisioner(f).EnsureAsync(ct), ct));

    Target CreateRedshiftCluster => _ => _
        .Description("Create or correct the stage's analytics Redshift cluster (encrypted, password generated into SSM) and wait until available")
        .Validates(CheckStack)
        .DependsOn(CreateSecurityGroups)
        .Executes(ct => FleetAsync(f => new WarehouseProvisioner(f, f.Stack.Redshift).EnsureAsync(ct), ct));

    Target CreateStreamtimeseriesRedshift => _ => _
        .Description("Create or correct the stage's stream-timeseries Redshift cluster that Firehose loads (encrypted) and wait until available")
        .Validates(CheckStack)
        .DependsOn(CreateSecurityGroups)
        .Executes(ct => FleetAsync(f => new WarehouseProvisioner(f, f.Stack.TimeSeries).EnsureAsync(ct), ct));

    Target CreateTopics => _ => _
        .Description("Create or correct the stage's SNS topics (staff, web and cache notifications; encrypted)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new TopicsProvisioner(f).EnsureAsync(ct), ct));

    Target CreateRedisCluster => _ => _
        .Description("Create or correct the stage's ElastiCache Redis (encrypted at rest and in transit, AUTH token generated into SSM, events to SNS)")
        .Validates(CheckStack)
        .DependsOn(CreateSecurityGroups, CreateTopics)
        .Executes(ct => FleetAsync(f => new RedisProvisioner(f).EnsureAsync(ct), ct));

    Target CreateBuckets => _ => _
        .Description("Create or correct the stage's statics, uploads (objects expire) and Firehose buckets: AES256, public access blocked, tagged")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new BucketsProvisioner(f).EnsureAsync(ct), ct));

    Target CreateFirehoseStream => _ => _
        .Description("Create the stage's Firehose stream: records land in the Firehose bucket, then COPY into the stream-timeseries Redshift cluster")
        .Validates(CheckStack)
        .DependsOn(CreateIam, CreateBuckets, CreateStreamtimeseriesRedshift)
        .Executes(ct => FleetAsync(f => new FirehoseProvisioner(f).EnsureAsync(ct), ct));

    Target CreateDynamodbTables => _ => _
        .Description("Create or correct the stage's filter-log and devices DynamoDB tables (on demand, SSE, deletion protection)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new TablesProvisioner(f).EnsureAsync(ct), ct));
}
