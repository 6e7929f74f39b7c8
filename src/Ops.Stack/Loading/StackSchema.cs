using Ops.Contracts;
using Ops.Stack.Model;

namespace Ops.Stack.Loading;

/// <summary>Every field a stack file may set, in the order they are printed; the single source for reading, checking and printing a stack.</summary>
internal static class StackSchema
{
    static readonly NameRule QueueName = NameRule.Of("^[A-Za-z0-9_-]{1,80}$", "SQS queue name", "1–80 letters, digits, - and _", "iotile-worker-{stage}");
    static readonly NameRule EcrName = NameRule.Of("^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$",
        "ECR repository name", "2–256 lowercase letters and digits, separated by single . _ - or /", "iotile-cloud-server");
    static readonly NameRule TableName = NameRule.Of("^[A-Za-z0-9_.-]{3,255}$", "DynamoDB table name", "3–255 letters, digits, _ - and .", "iotile-worker-logs-{stage}");
    static readonly NameRule RolloutTable = NameRule.Of("^[A-Za-z0-9_.-]{3,255}$", "DynamoDB table name", "3–255 letters, digits, _ - and .", "iotile-rollouts-{stage}");
    static readonly NameRule EcsName = NameRule.Of("^[A-Za-z0-9_-]{1,255}$", "ECS name", "1–255 letters, digits, - and _", "iotile-worker-{stage}");
    static readonly NameRule LogGroup = NameRule.Of("^[A-Za-z0-9._/#-]{1,512}$", "CloudWatch Logs group name", "1–512 letters, digits and . _ - / #", "/ecs/iotile-worker-{stage}");
    static readonly NameRule TagKey = NameRule.Of(@"^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$", "tag key",
        "1–128 letters, digits, spaces and _ . : / = + - @, not starting with aws:", "Team");
    static readonly NameRule TagValue = NameRule.Of(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$", "tag value", "0–256 letters, digits, spaces and _ . : / = + - @", "platform");
    static readonly NameRule Project = NameRule.Of(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$", "project name (it is the Project tag)", "1–256 letters, digits, spaces and _ . : / = + - @", "IOTileCloud");
    static readonly NameRule Variable = NameRule.Of("^[A-Za-z_][A-Za-z0-9_]{0,254}$", "variable name", "a letter or _, then letters, digits and _", "LOG_LEVEL");
    static readonly NameRule AnyText = NameRule.Of(@"^[^\x00]*$", "value", "no NUL characters", "INFO");
    static readonly NameRule RelativePath = NameRule.Of(@"^(?![/\\])(?![A-Za-z]:)(?!.*(^|[/\\])\.\.([/\\]|$)).+$", "path inside the repository",
        "relative to the repository root, without ..", "workers");
    static readonly NameRule InstanceType = NameRule.Of(@"^[a-z][a-z0-9-]*\.[a-z0-9-]+$", "EC2 instance type", "family.size", "t3.medium");
    static readonly NameRule SecurityGroup = NameRule.Of(@"^(?![sS][gG]-)[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}$", "security group name",
        "1–255 ASCII letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg-", "iotile-ecs-{stage}");
    static readonly NameRule SsmParameter = NameRule.Of(@"^/?[A-Za-z0-9_.\-/]{1,2047}$", "SSM parameter name", "letters, digits and _ . - /", "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    static readonly NameRule Subnet = NameRule.Of("^subnet-[0-9a-f]{8,17}$", "subnet id", "subnet- and 8 or 17 hex digits", "subnet-0123456789abcdef0");

    static readonly NameRule RdsId = NameRule.Of("^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$", "RDS DB instance identifier",
        "1–63 letters, digits and -, starting with a letter, without -- or a trailing -", "iotile-db-{stage}");
    static readonly NameRule RedshiftId = NameRule.Of("^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$", "Redshift cluster identifier",
        "1–63 lowercase letters, digits and -, starting with a letter, without -- or a trailing -", "iotile-redshift-{stage}");
    static readonly NameRule CacheId = NameRule.Of("^[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)$", "ElastiCache replication group id",
        "1–40 lowercase letters, digits and -, starting with a letter, without -- or a trailing -", "iotile-redis-{stage}");
    static readonly NameRule EngineVersion = NameRule.Of(@"^\d+(\.\d+){0,2}$", "engine version", "numbers separated by dots", "17.4");
    static readonly NameRule DbClass = NameRule.Of(@"^db\.[a-z0-9]+\.[a-z0-9]+$", "RDS instance class", "db.family.size", "db.t4g.micro");
    static readonly NameRule WarehouseNode = NameRule.Of(@"^[a-z0-9]+\.[a-z0-9]+$", "Redshift node type", "family.size", "ra3.large");
    static readonly NameRule CacheNode = NameRule.Of(@"^cache\.[a-z0-9]+\.[a-z0-9]+$", "ElastiCache node type", "cache.family.size", "cache.t4g.micro");
    static readonly NameRule DbName = NameRule.Of("^[A-Za-z][A-Za-z0-9_]{0,62}$", "database name", "1–63 letters, digits and _, starting with a letter", "iotile");
    static readonly NameRule WarehouseDbName = NameRule.Of("^[a-z][a-z0-9_]{0,63}$", "Redshift database name", "1–64 lowercase letters, digits and _, starting with a letter", "iotile");
    static readonly NameRule MasterUser = NameRule.Of("^[A-Za-z][A-Za-z0-9_]{0,62}$", "master user name", "1–63 letters, digits and _, starting with a letter", "iotile");
    static readonly NameRule WarehouseUser = NameRule.Of("^[a-z][a-z0-9_]{0,62}$", "Redshift master user name", "1–63 lowercase letters, digits and _, starting with a letter", "iotile");
    static readonly NameRule SecretName = NameRule.Of("^[A-Za-z0-9_.-]{1,128}$", "secret name", "1–128 letters, digits and _ . -", "RdsPassword");
    static readonly NameRule SecretPrefix = NameRule.Of("^(?![aA][wW][sS])(?![sS][sS][mM])[A-Za-z0-9_.-]{1,900}$", "SSM parameter name prefix",
        "letters, digits and _ . -, not starting with aws or ssm", "iotilecloud.{stage}.");
    static readonly NameRule TopicName = NameRule.Of("^[A-Za-z0-9_-]{1,256}$", "SNS topic name", "1–256 letters, digits, - and _", "iotile-staff-notifications-{stage}");
    static readonly NameRule BucketName = NameRule.Of(@"^(?!xn--)(?!.*\.\.)(?!.*-s3alias$)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", "S3 bucket name",
        "3–63 lowercase letters, digits, . and -, starting and ending with a letter or digit", "iotile-statics-{stage}");
    static readonly NameRule StreamName = NameRule.Of("^[A-Za-z0-9_.-]{1,64}$", "Firehose stream name", "1–64 letters, digits and _ . -", "iotile-streamtimeseries-{stage}");
    static readonly NameRule WarehouseTable = NameRule.Of("^[A-Za-z_][A-Za-z0-9_]{0,126}$", "Redshift table name", "1–127 letters, digits and _, not starting with a digit", "stream_data");
    static readonly NameRule RoleName = NameRule.Of(@"^[\w+=,.@-]{1,64}$", "IAM role name", "1–64 letters, digits and + = , . @ - _", "iotile-firehose-{stage}");
    static readonly NameRule Statement = NameRule.Of(
        @"^(Allow|Deny) (\*|[a-z0-9-]+:[A-Za-z0-9*?]+)(,[a-z0-9-]+:[A-Za-z0-9*?]+)* (\*|arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-*]*:(\d{12}|\*)?:[^\s,]+)(,arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-*]*:(\d{12}|\*)?:[^\s,]+)*$",
        "IAM statement", "Allow or Deny, then service:Action[,service:Action…], then * or an ARN arn:aws:service:region:account:resource[,ARN…], separated by single spaces",
        "Allow s3:GetObject arn:aws:s3:::iotile-firmware/*") with
    { Fix = "write it" };
    static readonly NameRule GitHubRepository = NameRule.Of(@"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$", "GitHub repository", "owner/name", "iotile/iotile-cloud");
    static readonly NameRule Cron = NameRule.Of(@"^[0-9*,/-]+( [0-9*,/-]+){4}$", "cron schedule", "five fields of digits, *, ',', '/' and '-' (minute hour day month weekday, UTC)", "17 3 * * *");

    static readonly NameRule Distribution = NameRule.Of("^[A-Z0-9]{8,20}$", "CloudFront distribution id", "8–20 uppercase letters and digits", "E2QWRUHAPOMQZL");
    static readonly NameRule KeyPrefix = NameRule.Of(@"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", "S3 key prefix", "letters, digits and _ . - separated by single /", "static");
    static readonly NameRule ApplicationName = NameRule.Of("^[^/]{1,100}$", "Elastic Beanstalk application name", "1–100 characters without /", "iotile-cloud");
    static readonly NameRule EnvironmentName = NameRule.Of("^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$", "Elastic Beanstalk environment name",
        "4–40 letters, digits and -, not starting or ending with -", "iotile-cloud-{stage}");
    static readonly NameRule SolutionStack = NameRule.Of(@"^\S.{0,199}$", "solution stack name", "1–200 characters", "64bit Amazon Linux 2023 v4.5.0 running Python 3.12");
    static readonly NameRule UrlPath = NameRule.Of(@"^/\S*$", "URL path", "starting with /, without spaces", "/health");

    static readonly IReadOnlyList<string> LogRetentionDays =
        ["1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653"];

    static readonly Dictionary<string, string> ReservedEnvironment = new()
    {
        ["OPS_STAGE"] = "Ops sets it to the stage",
        ["OPS_WORK_QUEUE"] = "Ops sets it from queues.work.name",
        ["OPS_REPORT_QUEUE"] = "Ops sets it from queues.report.name",
        ["OPS_WORKER_LOG_TABLE"] = "Ops sets it from worker-log-table",
        ["OPS_DRAIN"] = "Ops sets it from worker.drain",
        ["AWS_ACCESS_KEY_ID"] = "credentials never go in the stack file; the task role gives the workers theirs",
        ["AWS_SECRET_ACCESS_KEY"] = "credentials never go in the stack file; the task role gives the workers theirs",
        ["AWS_SESSION_TOKEN"] = "credentials never go in the stack file; the task role gives the workers theirs",
    };

    static readonly Dictionary<string, string> ReservedWebEnvironment = new()
    {
        ["OPS_STAGE"] = "Ops sets it to the stage",
        ["OPS_SECRETS_PREFIX"] = "Ops sets it from secrets.prefix",
        ["OPS_SECRET_NAMES"] = "Ops sets it from secrets.required",
        ["OPS_DATABASE_HOST"] = "Ops sets it from the RDS instance's endpoint",
        ["OPS_DATABASE_PORT"] = "Ops sets it from the RDS instance's endpoint",
        ["OPS_DATABASE_NAME"] = "Ops sets it from database.name",
        ["OPS_DATABASE_USER"] = "Ops sets it from database.master-user",
        ["OPS_REDIS_HOST"] = "Ops sets it from the Redis primary endpoint",
        ["OPS_REDIS_PORT"] = "Ops sets it from the Redis primary endpoint",
        ["OPS_WORK_QUEUE"] = "Ops sets it from queues.work.name",
        ["OPS_STATICS_BUCKET"] = "Ops sets it from buckets.statics",
        ["PORT"] = "Elastic Beanstalk sets it to the port the web process listens on",
        ["AWS_ACCESS_KEY_ID"] = "credentials never go in the stack file; the instance profile gives the web tier its",
        ["AWS_SECRET_ACCESS_KEY"] = "credentials never go in the stack file; the instance profile gives the web tier its",
        ["AWS_SESSION_TOKEN"] = "credentials never go in the stack file; the instance profile gives the web tier its",
    };

    /// <summary>All fields, in print order.</summary>
    public static IReadOnlyList<StackField> Fields { get; } =
    [
        new("project", FieldKind.Text, s => s.Project, (s, v) => s with { Project = (string)v! }) { Rule = Project },
        new("tags", FieldKind.Map, s => s.Tags, (s, v) => s with { Tags = (IReadOnlyDictionary<string, string>)v! }) { KeyRule = TagKey, Rule = TagValue },
        new("protected", FieldKind.Flag, s => s.Protected, (s, v) => s with { Protected = (bool)v! }),
        new("worker-log-table", FieldKind.Text, s => s.WorkerLogTable, (s, v) => s with { WorkerLogTable = (string)v! }) { Rule = TableName },
        .. Queue("work", s => s.Queues.Work, (s, q) => s with { Queues = s.Queues with { Work = q } }),
        .. Queue("report", s => s.Queues.Report, (s, q) => s with { Queues = s.Queues with { Report = q } }),
        new("repository.name", FieldKind.Text, s => s.Repository.Name, (s, v) => s with { Repository = s.Repository with { Name = (string)v! } }) { Rule = EcrName },
        new("repository.keep-images", FieldKind.Count, s => s.Repository.KeepImages, (s, v) => s with { Repository = s.Repository with { KeepImages = (int)v! } }) { Min = 1,
            Max = 1000 },
        new("image.context", FieldKind.Text, s => s.Image.Context, (s, v) => s with { Image = s.Image with { Context = (string)v! } }) { Rule = RelativePath },
        new("image.dockerfile", FieldKind.Text, s => s.Image.Dockerfile, (s, v) => s with { Image = s.Image with { Dockerfile = (string)v! } }) { Rule = RelativePath },
        new("image.build-args", FieldKind.Map, s => s.Image.BuildArgs,
            (s, v) => s with { Image = s.Image with { BuildArgs = (IReadOnlyDictionary<string, string>)v! } }) { KeyRule = Variable, Rule = AnyText },
        new("image.prepare", FieldKind.List, s => s.Image.Prepare, (s, v) => s with { Image = s.Image with { Prepare = (IReadOnlyList<string>)v! } }),
        new("worker.longest-message", FieldKind.Duration, s => s.Worker.LongestMessageSeconds,
            (s, v) => s with { Worker = s.Worker with { LongestMessageSeconds = (int)v! } }) { Min = 1, Max = 43199 },
        new("worker.drain", FieldKind.Text, s => s.Worker.Drain, (s, v) => s with { Worker = s.Worker with { Drain = (string)v! } }) { Choices = DrainStrategies.Names },
        new("ecs.cluster", FieldKind.Text, s => s.Ecs.Cluster, (s, v) => s with { Ecs = s.Ecs with { Cluster = (string)v! } }) { Rule = EcsName },
        new("ecs.service", FieldKind.Text, s => s.Ecs.Service, (s, v) => s with { Ecs = s.Ecs with { Service = (string)v! } }) { Rule = EcsName },
        new("ecs.task-family", FieldKind.Text, s => s.Ecs.TaskFamily, (s, v) => s with { Ecs = s.Ecs with { TaskFamily = (string)v! } }) { Rule = EcsName },
        new("ecs.container-name", FieldKind.Text, s => s.Ecs.ContainerName, (s, v) => s with { Ecs = s.Ecs with { ContainerName = (string)v! } }) { Rule = EcsName },
        new("ecs.launch-type", FieldKind.OptionalText, s => s.Ecs.LaunchType, (s, v) => s with { Ecs = s.Ecs with { LaunchType = (string?)v } })
        {
            Choices = EcsSpec.LaunchTypes,
        },
        new("ecs.desired-count", FieldKind.Count, s => s.Ecs.DesiredCount, (s, v) => s with { Ecs = s.Ecs with { DesiredCount = (int)v! } }) { Min = 0, Max = 1000 },
        new("ecs.cpu", FieldKind.Count, s => s.Ecs.Cpu, (s, v) => s with { Ecs = s.Ecs with { Cpu = (int)v! } }) { Min = 128, Max = 10240 },
        new("ecs.memory", FieldKind.Count, s => s.Ecs.Memory, (s, v) => s with { Ecs = s.Ecs with { Memory = (int)v! } }) { Min = 128, Max = 30720 },
        new("ecs.stop-timeout", FieldKind.Duration, s => s.Ecs.StopTimeoutSeconds, (s, v) => s with { Ecs = s.Ecs with { StopTimeoutSeconds = (int)v! } }) { Min = 2,
            Max = 120 },
        new("ecs.minimum-healthy-percent", FieldKind.Count, s => s.Ecs.MinimumHealthyPercent, (s, v) => s with { Ecs = s.Ecs with { MinimumHealthyPercent = (int)v! } }) { Min = 0,
            Max = 100 },
        new("ecs.maximum-percent", FieldKind.Count, s => s.Ecs.MaximumPercent, (s, v) => s with { Ecs = s.Ecs with { MaximumPercent = (int)v! } }) { Min = 100, Max = 400 },
        new("ecs.log-group", FieldKind.Text, s => s.Ecs.LogGroup, (s, v) => s with { Ecs = s.Ecs with { LogGroup = (string)v! } }) { Rule = LogGroup },
        new("ecs.log-retention-days", FieldKind.Count, s => s.Ecs.LogRetentionDays, (s, v) => s with { Ecs = s.Ecs with { LogRetentionDays = (int)v! } }) { Min = 1, Max = 3653,
            Choices = LogRetentionDays },
        new("ecs.environment", FieldKind.Map, s => s.Ecs.Environment, (s, v) => s with { Ecs = s.Ecs with { Environment = (IReadOnlyDictionary<string, string>)v! } })
            { KeyRule = Variable, Rule = AnyText, ReservedKeys = ReservedEnvironment },
        new("instances.type", FieldKind.Text, s => s.Instances.InstanceType,
            (s, v) => s with { Instances = s.Instances with { InstanceType = (string)v! } }) { Rule = InstanceType },
        new("instances.count", FieldKind.Count, s => s.Instances.Count, (s, v) => s with { Instances = s.Instances with { Count = (int)v! } }) { Min = 0, Max = 100 },
        new("instances.ami-parameter", FieldKind.Text, s => s.Instances.AmiParameter,
            (s, v) => s with { Instances = s.Instances with { AmiParameter = (string)v! } }) { Rule = SsmParameter },
        new("instances.instance-profile", FieldKind.Text, s => s.Instances.InstanceProfile,
            (s, v) => s with { Instances = s.Instances with { InstanceProfile = (string)v! } }) { Rule = RoleName },
        new("instances.security-group", FieldKind.Text, s => s.Instances.SecurityGroup,
            (s, v) => s with { Instances = s.Instances with { SecurityGroup = (string)v! } }) { Rule = SecurityGroup },
        new("instances.subnet", FieldKind.OptionalText, s => s.Instances.Subnet, (s, v) => s with { Instances = s.Instances with { Subnet = (string?)v } }) { Rule = Subnet },
        new("rollout.table", FieldKind.Text, s => s.Rollout.Table, (s, v) => s with { Rollout = s.Rollout with { Table = (string)v! } }) { Rule = RolloutTable },
        new("rollout.drain-timeout", FieldKind.Duration, s => s.Rollout.DrainTimeoutSeconds,
            (s, v) => s with { Rollout = s.Rollout with { DrainTimeoutSeconds = (int)v! } }) { Min = 10, Max = 43200 },
        new("rollout.update-timeout", FieldKind.Duration, s => s.Rollout.UpdateTimeoutSeconds,
            (s, v) => s with { Rollout = s.Rollout with { UpdateTimeoutSeconds = (int)v! } }) { Min = 10, Max = 43200 },
        new("security-groups.web", FieldKind.Text, s => s.SecurityGroups.Web,
            (s, v) => s with { SecurityGroups = s.SecurityGroups with { Web = (string)v! } }) { Rule = SecurityGroup },
        new("security-groups.database", FieldKind.Text, s => s.SecurityGroups.Database,
            (s, v) => s with { SecurityGroups = s.SecurityGroups with { Database = (string)v! } }) { Rule = SecurityGroup },
        new("security-groups.cache", FieldKind.Text, s => s.SecurityGroups.Cache,
            (s, v) => s with { SecurityGroups = s.SecurityGroups with { Cache = (string)v! } }) { Rule = SecurityGroup },
        new("security-groups.warehouse", FieldKind.Text, s => s.SecurityGroups.Warehouse,
            (s, v) => s with { SecurityGroups = s.SecurityGroups with { Warehouse = (string)v! } }) { Rule = SecurityGroup },
        new("database.identifier", FieldKind.Text, s => s.Database.Identifier, (s, v) => s with { Database = s.Database with { Identifier = (string)v! } }) { Rule = RdsId },
        new("database.engine-version", FieldKind.Text, s => s.Database.EngineVersion,
            (s, v) => s with { Database = s.Database with { EngineVersion = (string)v! } }) { Rule = EngineVersion },
        new("database.instance-class", FieldKind.Text, s => s.Database.InstanceClass,
            (s, v) => s with { Database = s.Database with { InstanceClass = (string)v! } }) { Rule = DbClass },
        new("database.storage-gb", FieldKind.Count, s => s.Database.StorageGb, (s, v) => s with { Database = s.Database with { StorageGb = (int)v! } }) { Min = 20, Max = 65536 },
        new("database.multi-az", FieldKind.Flag, s => s.Database.MultiAz, (s, v) => s with { Database = s.Database with { MultiAz = (bool)v! } }),
        new("database.name", FieldKind.Text, s => s.Database.Name, (s, v) => s with { Database = s.Database with { Name = (string)v! } }) { Rule = DbName },
        new("database.master-user", FieldKind.Text, s => s.Database.MasterUser, (s, v) => s with { Database = s.Database with { MasterUser = (string)v! } }) { Rule = MasterUser },
        new("database.password-secret", FieldKind.Text, s => s.Database.PasswordSecret,
            (s, v) => s with { Database = s.Database with { PasswordSecret = (string)v! } }) { Rule = SecretName },
        new("database.backup-retention-days", FieldKind.Count, s => s.Database.BackupRetentionDays,
            (s, v) => s with { Database = s.Database with { BackupRetentionDays = (int)v! } }) { Min = 1, Max = 35 },
        new("database.deletion-protection", FieldKind.Flag, s => s.Database.DeletionProtection, (s, v) => s with { Database = s.Database with { DeletionProtection = (bool)v! } }),
        .. Warehouse("redshift", s => s.Redshift, (s, w) => s with { Redshift = w }),
        .. Warehouse("timeseries", s => s.TimeSeries, (s, w) => s with { TimeSeries = w }),
        new("redis.replication-group", FieldKind.Text, s => s.Redis.ReplicationGroup, (s, v) => s with { Redis = s.Redis with { ReplicationGroup = (string)v! } }) { Rule = CacheId },
        new("redis.node-type", FieldKind.Text, s => s.Redis.NodeType, (s, v) => s with { Redis = s.Redis with { NodeType = (string)v! } }) { Rule = CacheNode },
        new("redis.engine-version", FieldKind.Text, s => s.Redis.EngineVersion, (s, v) => s with { Redis = s.Redis with { EngineVersion = (string)v! } }) { Rule = EngineVersion },
        new("redis.nodes", FieldKind.Count, s => s.Redis.Nodes, (s, v) => s with { Redis = s.Redis with { Nodes = (int)v! } }) { Min = 1, Max = 6 },
        new("redis.auth-secret", FieldKind.Text, s => s.Redis.AuthSecret, (s, v) => s with { Redis = s.Redis with { AuthSecret = (string)v! } }) { Rule = SecretName },
        new("firehose.stream", FieldKind.Text, s => s.Firehose.Stream, (s, v) => s with { Firehose = s.Firehose with { Stream = (string)v! } }) { Rule = StreamName },
        new("firehose.table", FieldKind.Text, s => s.Firehose.Table, (s, v) => s with { Firehose = s.Firehose with { Table = (string)v! } }) { Rule = WarehouseTable },
        new("firehose.role", FieldKind.Text, s => s.Firehose.Role, (s, v) => s with { Firehose = s.Firehose with { Role = (string)v! } }) { Rule = RoleName },
        new("firehose.buffer", FieldKind.Duration, s => s.Firehose.BufferSeconds, (s, v) => s with { Firehose = s.Firehose with { BufferSeconds = (int)v! } }) { Min = 60,
            Max = 900 },
        new("topics.staff", FieldKind.Text, s => s.Topics.Staff, (s, v) => s with { Topics = s.Topics with { Staff = (string)v! } }) { Rule = TopicName },
        new("topics.web", FieldKind.Text, s => s.Topics.Web, (s, v) => s with { Topics = s.Topics with { Web = (string)v! } }) { Rule = TopicName },
        new("topics.cache", FieldKind.Text, s => s.Topics.Cache, (s, v) => s with { Topics = s.Topics with { Cache = (string)v! } }) { Rule = TopicName },
        new("tables.filter-log", FieldKind.Text, s => s.Tables.FilterLog, (s, v) => s with { Tables = s.Tables with { FilterLog = (string)v! } }) { Rule = TableName },
        new("tables.devices", FieldKind.Text, s => s.Tables.Devices, (s, v) => s with { Tables = s.Tables with { Devices = (string)v! } }) { Rule = TableName },
        new("buckets.statics", FieldKind.Text, s => s.Buckets.Statics, (s, v) => s with { Buckets = s.Buckets with { Statics = (string)v! } }) { Rule = BucketName },
        new("buckets.uploads", FieldKind.Text, s => s.Buckets.Uploads, (s, v) => s with { Buckets = s.Buckets with { Uploads = (string)v! } }) { Rule = BucketName },
        new("buckets.uploads-expiry-days", FieldKind.Count, s => s.Buckets.UploadsExpiryDays, (s, v) => s with { Buckets = s.Buckets with { UploadsExpiryDays = (int)v! } }) { Min = 1,
            Max = 3650 },
        new("buckets.firehose", FieldKind.Text, s => s.Buckets.Firehose, (s, v) => s with { Buckets = s.Buckets with { Firehose = (string)v! } }) { Rule = BucketName },
        new("statics.build", FieldKind.List, s => s.Statics.Build, (s, v) => s with { Statics = s.Statics with { Build = (IReadOnlyList<string>)v! } }),
        new("statics.directory", FieldKind.Text, s => s.Statics.Directory, (s, v) => s with { Statics = s.Statics with { Directory = (string)v! } }) { Rule = RelativePath },
        new("statics.prefix", FieldKind.Text, s => s.Statics.Prefix, (s, v) => s with { Statics = s.Statics with { Prefix = (string)v! } }) { Rule = KeyPrefix },
        new("statics.distribution", FieldKind.OptionalText, s => s.Statics.Distribution,
            (s, v) => s with { Statics = s.Statics with { Distribution = (string?)v } }) { Rule = Distribution },
        new("web.application", FieldKind.Text, s => s.Web.Application, (s, v) => s with { Web = s.Web with { Application = (string)v! } }) { Rule = ApplicationName },
        new("web.environment", FieldKind.Text, s => s.Web.Environment, (s, v) => s with { Web = s.Web with { Environment = (string)v! } }) { Rule = EnvironmentName },
        new("web.solution-stack", FieldKind.Text, s => s.Web.SolutionStack, (s, v) => s with { Web = s.Web with { SolutionStack = (string)v! } }) { Rule = SolutionStack },
        new("web.instance-type", FieldKind.Text, s => s.Web.InstanceType, (s, v) => s with { Web = s.Web with { InstanceType = (string)v! } }) { Rule = InstanceType },
        new("web.source", FieldKind.Text, s => s.Web.Source, (s, v) => s with { Web = s.Web with { Source = (string)v! } }) { Rule = RelativePath },
        new("web.health-path", FieldKind.Text, s => s.Web.HealthPath, (s, v) => s with { Web = s.Web with { HealthPath = (string)v! } }) { Rule = UrlPath },
        new("web.environment-variables", FieldKind.Map, s => s.Web.EnvironmentVariables,
            (s, v) => s with { Web = s.Web with { EnvironmentVariables = (IReadOnlyDictionary<string, string>)v! } })
            { KeyRule = Variable, Rule = AnyText, ReservedKeys = ReservedWebEnvironment },
        new("web.create-timeout", FieldKind.Duration, s => s.Web.CreateTimeoutSeconds, (s, v) => s with { Web = s.Web with { CreateTimeoutSeconds = (int)v! } }) { Min = 10,
            Max = 7200 },
        new("web.deploy-timeout", FieldKind.Duration, s => s.Web.DeployTimeoutSeconds, (s, v) => s with { Web = s.Web with { DeployTimeoutSeconds = (int)v! } }) { Min = 10,
            Max = 7200 },
        new("secrets.prefix", FieldKind.Text, s => s.Secrets.Prefix, (s, v) => s with { Secrets = s.Secrets with { Prefix = (string)v! } }) { Rule = SecretPrefix },
        new("secrets.required", FieldKind.List, s => s.Secrets.Required,
            (s, v) => s with { Secrets = s.Secrets with { Required = (IReadOnlyList<string>)v! } }) { Rule = SecretName },
        new("secrets.generated", FieldKind.List, s => s.Secrets.Generated,
            (s, v) => s with { Secrets = s.Secrets with { Generated = (IReadOnlyList<string>)v! } }) { Rule = SecretName },
        new("local.command", FieldKind.List, s => s.Local.Command, (s, v) => s with { Local = s.Local with { Command = (IReadOnlyList<string>)v! } }),
        new("local.directory", FieldKind.Text, s => s.Local.Directory, (s, v) => s with { Local = s.Local with { Directory = (string)v! } }) { Rule = RelativePath },
        new("local.prepare", FieldKind.List, s => s.Local.Prepare, (s, v) => s with { Local = s.Local with { Prepare = (IReadOnlyList<string>)v! } }),
        new("iam.worker-role", FieldKind.Text, s => s.Iam.WorkerRole, (s, v) => s with { Iam = s.Iam with { WorkerRole = (string)v! } }) { Rule = RoleName },
        new("iam.execution-role", FieldKind.Text, s => s.Iam.ExecutionRole, (s, v) => s with { Iam = s.Iam with { ExecutionRole = (string)v! } }) { Rule = RoleName },
        new("iam.web-role", FieldKind.Text, s => s.Iam.WebRole, (s, v) => s with { Iam = s.Iam with { WebRole = (string)v! } }) { Rule = RoleName },
        new("iam.web-service-role", FieldKind.Text, s => s.Iam.WebServiceRole, (s, v) => s with { Iam = s.Iam with { WebServiceRole = (string)v! } }) { Rule = RoleName },
        new("iam.deploy-role", FieldKind.Text, s => s.Iam.DeployRole, (s, v) => s with { Iam = s.Iam with { DeployRole = (string)v! } }) { Rule = RoleName },
        new("iam.worker-statements", FieldKind.List, s => s.Iam.WorkerStatements,
            (s, v) => s with { Iam = s.Iam with { WorkerStatements = (IReadOnlyList<string>)v! } }) { Rule = Statement },
        new("iam.web-statements", FieldKind.List, s => s.Iam.WebStatements,
            (s, v) => s with { Iam = s.Iam with { WebStatements = (IReadOnlyList<string>)v! } }) { Rule = Statement },
        new("pipeline.deploy-on-push", FieldKind.Flag, s => s.Pipeline.DeployOnPush, (s, v) => s with { Pipeline = s.Pipeline with { DeployOnPush = (bool)v! } }),
        new("pipeline.nightly-drill", FieldKind.Flag, s => s.Pipeline.NightlyDrill, (s, v) => s with { Pipeline = s.Pipeline with { NightlyDrill = (bool)v! } }),
        new("pipeline.drill-schedule", FieldKind.Text, s => s.Pipeline.DrillSchedule, (s, v) => s with { Pipeline = s.Pipeline with { DrillSchedule = (string)v! } }) { Rule = Cron },
        new("pipeline.repository", FieldKind.OptionalText, s => s.Pipeline.Repository,
            (s, v) => s with { Pipeline = s.Pipeline with { Repository = (string?)v } }) { Rule = GitHubRepository },
    ];

    static IEnumerable<StackField> Queue(string which, Func<StageStack, QueueSpec> get, Func<StageStack, QueueSpec, StageStack> set)
    {
        var p = $"queues.{which}.";
        yield return new(p + "name", FieldKind.Text, s => get(s).Name, (s, v) => set(s, get(s) with { Name = (string)v! })) { Rule = QueueName };
        yield return new(p + "dead-letter", FieldKind.Text, s => get(s).DeadLetterName,
            (s, v) => set(s, get(s) with { DeadLetterName = (string)v! })) { Rule = QueueName };
        yield return new(p + "visibility-timeout", FieldKind.Duration, s => get(s).VisibilityTimeoutSeconds,
            (s, v) => set(s, get(s) with { VisibilityTimeoutSeconds = (int)v! })) { Min = 0, Max = 43200 };
        yield return new(p + "max-receive-count", FieldKind.Count, s => get(s).MaxReceiveCount, (s, v) => set(s, get(s) with { MaxReceiveCount = (int)v! })) { Min = 1,
            Max = 1000 };
        yield return new(p + "message-retention", FieldKind.Duration, s => get(s).MessageRetentionSeconds,
            (s, v) => set(s, get(s) with { MessageRetentionSeconds = (int)v! })) { Min = 60, Max = 1209600 };
        yield return new(p + "dead-letter-retention", FieldKind.Duration, s => get(s).DeadLetterRetentionSeconds,
            (s, v) => set(s, get(s) with { DeadLetterRetentionSeconds = (int)v! })) { Min = 60, Max = 1209600 };
    }

    static IEnumerable<StackField> Warehouse(string which, Func<StageStack, WarehouseSpec> get, Func<StageStack, WarehouseSpec, StageStack> set)
    {
        var p = which + ".";
        yield return new(p + "cluster", FieldKind.Text, s => get(s).Cluster, (s, v) => set(s, get(s) with { Cluster = (string)v! })) { Rule = RedshiftId };
        yield return new(p + "node-type", FieldKind.Text, s => get(s).NodeType, (s, v) => set(s, get(s) with { NodeType = (string)v! })) { Rule = WarehouseNode };
        yield return new(p + "nodes", FieldKind.Count, s => get(s).Nodes, (s, v) => set(s, get(s) with { Nodes = (int)v! })) { Min = 1, Max = 128 };
        yield return new(p + "database", FieldKind.Text, s => get(s).Database, (s, v) => set(s, get(s) with { Database = (string)v! })) { Rule = WarehouseDbName };
        yield return new(p + "master-user", FieldKind.Text, s => get(s).MasterUser, (s, v) => set(s, get(s) with { MasterUser = (string)v! })) { Rule = WarehouseUser };
        yield return new(p + "password-secret", FieldKind.Text, s => get(s).PasswordSecret,
            (s, v) => set(s, get(s) with { PasswordSecret = (string)v! })) { Rule = SecretName };
    }

    /// <summary>The field at <paramref name="path"/> (ecs.cpu), or null.</summary>
    public static StackField? Find(string path) => Fields.FirstOrDefault(f => f.Path == path);

    /// <summary>True when <paramref name="path"/> is a section (queues, queues.work, ecs).</summary>
    public static bool IsSection(string path) => Fields.Any(f => f.Path.StartsWith(path + ".", StringComparison.Ordinal));

    /// <summary>The names directly under a section ("" for the top), fields and sub-sections alike.</summary>
    public static IReadOnlyList<string> NamesUnder(string section)
    {
        var prefix = section.Length == 0 ? "" : section + ".";
        return Fields.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => f.Path[prefix.Length..].Split('.')[0])
            .Distinct().ToList();
    }
}
