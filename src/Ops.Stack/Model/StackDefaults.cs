namespace Ops.Stack.Model;

/// <summary>
/// The built-in stack: IOTile's names and shape (iotile-worker-{stage}, iotile-cloud-server, 6 workers in prod,
/// Project=IOTileCloud) with current instance types, for the stages dev, stage and prod. A stack file overrides any of it.
/// </summary>
public static class StackDefaults
{
    /// <summary>The stages the built-in stack defines.</summary>
    public static IReadOnlyList<string> Stages { get; } = ["dev", "stage", "prod"];

    /// <summary>The built-in stack of <paramref name="stage"/> (any name; only the counts differ for prod).</summary>
    public static StageStack For(string stage) => For(stage, stage);

    /// <summary>
    /// The built-in stack of <paramref name="stage"/>, sized like <paramref name="sizedLike"/> (prod: 6 workers on 3
    /// m7i.large; stage: 2 workers; anything else: 1): what a stack file's <c>like: prod</c> starts from.
    /// </summary>
    public static StageStack For(string stage, string sizedLike)
    {
        var prod = sizedLike == "prod";
        return new StageStack
        {
            Stage = stage,
            Protected = prod,
            Project = "IOTileCloud",
            Tags = new Dictionary<string, string> { ["Project"] = "IOTileCloud", ["Stage"] = stage, ["ManagedBy"] = "Ops" },
            Queues = new QueuesSpec(
                new QueueSpec { Name = $"iotile-worker-{stage}", DeadLetterName = $"iotile-worker-{stage}-dlq" },
                new QueueSpec { Name = $"iotile-report-{stage}", DeadLetterName = $"iotile-report-{stage}-dlq" }),
            WorkerLogTable = $"iotile-worker-logs-{stage}",
            Repository = new RepositorySpec { Name = "iotile-cloud-server" },
            Image = new ImageSpec
            {
                Context = "workers",
                Dockerfile = "workers/Dockerfile",
                Prepare = ["dotnet", "publish", "src/Ops.Worker/Ops.Worker.csproj", "-c", "Release", "-o", "workers/app", "--nologo", "-v", "quiet"],
            },
            Worker = new WorkerSpec(),
            Ecs = new EcsSpec
            {
                Cluster = $"iotile-{stage}",
                Service = $"iotile-worker-{stage}",
                TaskFamily = $"iotile-worker-{stage}",
                DesiredCount = prod ? 6 : sizedLike == "stage" ? 2 : 1,
                Memory = prod ? 1024 : 512,
                LogGroup = $"/ecs/iotile-worker-{stage}",
            },
            Instances = new InstancesSpec
            {
                InstanceType = prod ? "m7i.large" : "t3.medium",
                Count = prod ? 3 : 1,
                SecurityGroup = $"iotile-ecs-{stage}",
                InstanceProfile = $"iotile-ecs-instance-{stage}",
            },
            Local = new LocalSpec
            {
                Command = ["dotnet", ".nuke/temp/worker/Ops.Worker.dll"],
                Prepare = ["dotnet", "publish", "src/Ops.Worker/Ops.Worker.csproj", "-c", "Release", "-o", ".nuke/temp/worker", "--nologo", "-v", "quiet"],
            },
            Rollout = new RolloutSpec { Table = $"iotile-rollouts-{stage}" },
            SecurityGroups = new SecurityGroupsSpec
            {
                Web = $"iotile-web-{stage}",
                Database = $"iotile-db-{stage}",
                Cache = $"iotile-cache-{stage}",
                Warehouse = $"iotile-redshift-{stage}",
            },
            Database = new DatabaseSpec
            {
                Identifier = $"iotile-db-{stage}",
                InstanceClass = prod ? "db.m7g.large" : "db.t4g.micro",
                StorageGb = prod ? 100 : 20,
                MultiAz = prod,
            },
            Redshift = new WarehouseSpec { Cluster = $"iotile-redshift-{stage}", PasswordSecret = "RedshiftPassword", Nodes = prod ? 2 : 1 },
            TimeSeries = new WarehouseSpec { Cluster = $"iotile-streamtimeseries-{stage}", PasswordSecret = "StreamTimeSeriesPassword", Nodes = prod ? 2 : 1 },
            Redis = new CacheSpec { ReplicationGroup = $"iotile-redis-{stage}", NodeType = prod ? "cache.m7g.large" : "cache.t4g.micro", Nodes = prod ? 2 : 1 },
            Firehose = new FirehoseSpec { Stream = $"iotile-streamtimeseries-{stage}", Role = $"iotile-firehose-{stage}" },
            Topics = new TopicsSpec
            {
                Staff = $"iotile-staff-notifications-{stage}",
                Web = $"iotile-web-notifications-{stage}",
                Cache = $"iotile-redis-notifications-{stage}",
            },
            Tables = new TablesSpec { FilterLog = $"iotile-filter-log-{stage}", Devices = $"iotile-devices-{stage}" },
            Buckets = new BucketsSpec { Statics = $"iotile-statics-{stage}", Uploads = $"iotile-uploads-{stage}", Firehose = $"iotile-firehose-{stage}" },
            Statics = new StaticsSpec { Build = ["python3", "web/manage.py", "collectstatic", "--noinput", "--clear"] },
            Web = new WebSpec { Environment = $"iotile-cloud-{stage}", InstanceType = prod ? "m7i.large" : "t3.medium" },
            Iam = new IamSpec
            {
                WorkerRole = $"iotile-worker-{stage}",
                ExecutionRole = $"iotile-worker-execution-{stage}",
                WebRole = $"iotile-web-{stage}",
                WebServiceRole = $"iotile-web-service-{stage}",
                DeployRole = $"iotile-deploy-{stage}",
            },
            Pipeline = new PipelineSpec { DeployOnPush = stage == "dev", NightlyDrill = stage == "dev" },
            Secrets = new SecretsSpec
            {
                Prefix = $"iotilecloud.{stage}.",
                Generated = GeneratedSecrets,
                Required = prod || sizedLike == "stage" ? [.. GeneratedSecrets, .. ThirdPartySecrets] : GeneratedSecrets,
            },
        };
    }

    /// <summary>Secrets Ops makes up when missing: Django's keys, the data stores' passwords and the Redis auth token.</summary>
    static readonly string[] GeneratedSecrets =
        ["SecretKey", "JwtSecretKey", "RdsPassword", "RedshiftPassword", "StreamTimeSeriesPassword", "RedisAuthToken"];

    /// <summary>The third-party keys IOTile's web tier reads, which only a person can set (secrets-set).</summary>
    static readonly string[] ThirdPartySecrets =
    [
        "GoogleApiKey", "RecaptchaSiteKey", "RecaptchaSecretKey", "DropboxPublicKey", "DropboxPrivateKey", "S3ImagePublicKey",
        "S3ImagePrivateKey", "SearchAccessKey", "SearchSecretAccessKey", "SentryDns", "TwilioAuthToken", "TwilioSID",
    ];
}
