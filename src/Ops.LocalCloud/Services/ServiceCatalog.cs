using Ops.LocalCloud.Services.CloudFront;
using Ops.LocalCloud.Services.DynamoDb;
using Ops.LocalCloud.Services.Ec2;
using Ops.LocalCloud.Services.Ecr;
using Ops.LocalCloud.Services.Ecs;
using Ops.LocalCloud.Services.ElastiCache;
using Ops.LocalCloud.Services.ElasticBeanstalk;
using Ops.LocalCloud.Services.Firehose;
using Ops.LocalCloud.Services.Logs;
using Ops.LocalCloud.Services.Rds;
using Ops.LocalCloud.Services.Redshift;
using Ops.LocalCloud.Services.Sns;
using Ops.LocalCloud.Services.Sqs;
using Ops.LocalCloud.Services.Ssm;
using Ops.LocalCloud.Services.Sts;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>Every service the local cloud serves, wired to each other where AWS services talk (SNS → SQS; ECS task output → Logs; STS → IAM).</summary>
internal static class ServiceCatalog
{
    public static IReadOnlyList<ServiceHandler> Create(StateStore store, LocalCloudOptions options, Iam.IamService iam,
        Ops.LocalCloud.Iam.RoleSessions sessions,
        Tasks.ProcessTaskRunner? processes = null, S3.S3Service? s3 = null, Web.WebProcesses? web = null)
    {
        var sqs = new SqsService(store, options.Clock);
        var logs = new LogsService(store);
        var ecs = new EcsService(store, options, processes, logs);
        return
        [
            new StsService(iam, sessions),
            iam,
            new SsmService(store),
            sqs,
            new SnsService(store, sqs),
            new RdsService(store, options.Delays, options.Backends.Databases),
            new RedshiftService(store, options.Delays, options.Backends.Warehouses),
            new ElastiCacheService(store, options.Delays, options.Backends.Caches),
            ecs,
            new Ec2Service(store, options.Delays, ecs),
            new ElasticBeanstalkService(store, options.Delays, s3, web),
            new EcrService(store, options.Backends.Registry),
            logs,
            new FirehoseService(store),
            new CloudFrontService(store, options.Delays),
            new DynamoDbService(store),
        ];
    }
}
