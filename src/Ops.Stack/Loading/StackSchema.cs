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
    static readonly NameRule InstanceProfile = NameRule.Of(@"^[\w+=,.@-]{1,128}$", "instance profile name", "1–128 letters, digits and + = , . @ - _", "ecsInstanceRole");
    static readonly NameRule Subnet = NameRule.Of("^subnet-[0-9a-f]{8,17}$", "subnet id", "subnet- and 8 or 17 hex digits", "subnet-0123456789abcdef0");

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

    /// <summary>All fields, in print order.</summary>
    public static IReadOnlyList<StackField> Fields { get; } =
    [
        new("project", FieldKind.Text, s => s.Project, (s, v) => s with { Project = (string)v! }) { Rule = Project },
        new("tags", FieldKind.Map, s => s.Tags, (s, v) => s with { Tags = (IReadOnlyDictionary<string, string>)v! }) { KeyRule = TagKey, Rule = TagValue },
        new("worker-log-table", FieldKind.Text, s => s.WorkerLogTable, (s, v) => s with { WorkerLogTable = (string)v! }) { Rule = TableName },
        .. Queue("work", s => s.Queues.Work, (s, q) => s with { Queues = s.Queues with { Work = q } }),
        .. Queue("report", s => s.Queues.Report, (s, q) => s with { Queues = s.Queues with { Report = q } }),
        new("repository.name", FieldKind.Text, s => s.Repository.Name, (s, v) => s with { Repository = s.Repository with { Name = (string)v! } }) { Rule = EcrName },
        new("repository.keep-images", FieldKind.Count, s => s.Repository.KeepImages, (s, v) => s with { Repository = s.Repository with { KeepImages = (int)v! } }) { Min = 1, Max = 1000 },
        new("image.context", FieldKind.Text, s => s.Image.Context, (s, v) => s with { Image = s.Image with { Context = (string)v! } }) { Rule = RelativePath },
        new("image.dockerfile", FieldKind.Text, s => s.Image.Dockerfile, (s, v) => s with { Image = s.Image with { Dockerfile = (string)v! } }) { Rule = RelativePath },
        new("image.build-args", FieldKind.Map, s => s.Image.BuildArgs, (s, v) => s with { Image = s.Image with { BuildArgs = (IReadOnlyDictionary<string, string>)v! } }) { KeyRule = Variable, Rule = AnyText },
        new("image.prepare", FieldKind.List, s => s.Image.Prepare, (s, v) => s with { Image = s.Image with { Prepare = (IReadOnlyList<string>)v! } }),
        new("worker.longest-message", FieldKind.Duration, s => s.Worker.LongestMessageSeconds, (s, v) => s with { Worker = s.Worker with { LongestMessageSeconds = (int)v! } }) { Min = 1, Max = 43199 },
        new("worker.drain", FieldKind.Text, s => s.Worker.Drain, (s, v) => s with { Worker = s.Worker with { Drain = (string)v! } }) { Choices = ["kill-ack", "task-protection"] },
        new("ecs.cluster", FieldKind.Text, s => s.Ecs.Cluster, (s, v) => s with { Ecs = s.Ecs with { Cluster = (string)v! } }) { Rule = EcsName },
        new("ecs.service", FieldKind.Text, s => s.Ecs.Service, (s, v) => s with { Ecs = s.Ecs with { Service = (string)v! } }) { Rule = EcsName },
        new("ecs.task-family", FieldKind.Text, s => s.Ecs.TaskFamily, (s, v) => s with { Ecs = s.Ecs with { TaskFamily = (string)v! } }) { Rule = EcsName },
        new("ecs.container-name", FieldKind.Text, s => s.Ecs.ContainerName, (s, v) => s with { Ecs = s.Ecs with { ContainerName = (string)v! } }) { Rule = EcsName },
        new("ecs.desired-count", FieldKind.Count, s => s.Ecs.DesiredCount, (s, v) => s with { Ecs = s.Ecs with { DesiredCount = (int)v! } }) { Min = 0, Max = 1000 },
        new("ecs.cpu", FieldKind.Count, s => s.Ecs.Cpu, (s, v) => s with { Ecs = s.Ecs with { Cpu = (int)v! } }) { Min = 128, Max = 10240 },
        new("ecs.memory", FieldKind.Count, s => s.Ecs.Memory, (s, v) => s with { Ecs = s.Ecs with { Memory = (int)v! } }) { Min = 128, Max = 30720 },
        new("ecs.stop-timeout", FieldKind.Duration, s => s.Ecs.StopTimeoutSeconds, (s, v) => s with { Ecs = s.Ecs with { StopTimeoutSeconds = (int)v! } }) { Min = 2, Max = 120 },
        new("ecs.minimum-healthy-percent", FieldKind.Count, s => s.Ecs.MinimumHealthyPercent, (s, v) => s with { Ecs = s.Ecs with { MinimumHealthyPercent = (int)v! } }) { Min = 0, Max = 100 },
        new("ecs.maximum-percent", FieldKind.Count, s => s.Ecs.MaximumPercent, (s, v) => s with { Ecs = s.Ecs with { MaximumPercent = (int)v! } }) { Min = 100, Max = 400 },
        new("ecs.log-group", FieldKind.Text, s => s.Ecs.LogGroup, (s, v) => s with { Ecs = s.Ecs with { LogGroup = (string)v! } }) { Rule = LogGroup },
        new("ecs.log-retention-days", FieldKind.Count, s => s.Ecs.LogRetentionDays, (s, v) => s with { Ecs = s.Ecs with { LogRetentionDays = (int)v! } }) { Min = 1, Max = 3653, Choices = LogRetentionDays },
        new("ecs.environment", FieldKind.Map, s => s.Ecs.Environment, (s, v) => s with { Ecs = s.Ecs with { Environment = (IReadOnlyDictionary<string, string>)v! } })
            { KeyRule = Variable, Rule = AnyText, ReservedKeys = ReservedEnvironment },
        new("instances.type", FieldKind.Text, s => s.Instances.InstanceType, (s, v) => s with { Instances = s.Instances with { InstanceType = (string)v! } }) { Rule = InstanceType },
        new("instances.count", FieldKind.Count, s => s.Instances.Count, (s, v) => s with { Instances = s.Instances with { Count = (int)v! } }) { Min = 0, Max = 100 },
        new("instances.ami-parameter", FieldKind.Text, s => s.Instances.AmiParameter, (s, v) => s with { Instances = s.Instances with { AmiParameter = (string)v! } }) { Rule = SsmParameter },
        new("instances.instance-profile", FieldKind.Text, s => s.Instances.InstanceProfile, (s, v) => s with { Instances = s.Instances with { InstanceProfile = (string)v! } }) { Rule = InstanceProfile },
        new("instances.security-group", FieldKind.Text, s => s.Instances.SecurityGroup, (s, v) => s with { Instances = s.Instances with { SecurityGroup = (string)v! } }) { Rule = SecurityGroup },
        new("instances.subnet", FieldKind.OptionalText, s => s.Instances.Subnet, (s, v) => s with { Instances = s.Instances with { Subnet = (string?)v } }) { Rule = Subnet },
        new("rollout.table", FieldKind.Text, s => s.Rollout.Table, (s, v) => s with { Rollout = s.Rollout with { Table = (string)v! } }) { Rule = RolloutTable },
        new("rollout.drain-timeout", FieldKind.Duration, s => s.Rollout.DrainTimeoutSeconds, (s, v) => s with { Rollout = s.Rollout with { DrainTimeoutSeconds = (int)v! } }) { Min = 10, Max = 43200 },
        new("rollout.update-timeout", FieldKind.Duration, s => s.Rollout.UpdateTimeoutSeconds, (s, v) => s with { Rollout = s.Rollout with { UpdateTimeoutSeconds = (int)v! } }) { Min = 10, Max = 43200 },
        new("local.command", FieldKind.List, s => s.Local.Command, (s, v) => s with { Local = s.Local with { Command = (IReadOnlyList<string>)v! } }),
        new("local.directory", FieldKind.Text, s => s.Local.Directory, (s, v) => s with { Local = s.Local with { Directory = (string)v! } }) { Rule = RelativePath },
        new("local.prepare", FieldKind.List, s => s.Local.Prepare, (s, v) => s with { Local = s.Local with { Prepare = (IReadOnlyList<string>)v! } }),
    ];

    static IEnumerable<StackField> Queue(string which, Func<StageStack, QueueSpec> get, Func<StageStack, QueueSpec, StageStack> set)
    {
        var p = $"queues.{which}.";
        yield return new(p + "name", FieldKind.Text, s => get(s).Name, (s, v) => set(s, get(s) with { Name = (string)v! })) { Rule = QueueName };
        yield return new(p + "dead-letter", FieldKind.Text, s => get(s).DeadLetterName, (s, v) => set(s, get(s) with { DeadLetterName = (string)v! })) { Rule = QueueName };
        yield return new(p + "visibility-timeout", FieldKind.Duration, s => get(s).VisibilityTimeoutSeconds, (s, v) => set(s, get(s) with { VisibilityTimeoutSeconds = (int)v! })) { Min = 0, Max = 43200 };
        yield return new(p + "max-receive-count", FieldKind.Count, s => get(s).MaxReceiveCount, (s, v) => set(s, get(s) with { MaxReceiveCount = (int)v! })) { Min = 1, Max = 1000 };
        yield return new(p + "message-retention", FieldKind.Duration, s => get(s).MessageRetentionSeconds, (s, v) => set(s, get(s) with { MessageRetentionSeconds = (int)v! })) { Min = 60, Max = 1209600 };
        yield return new(p + "dead-letter-retention", FieldKind.Duration, s => get(s).DeadLetterRetentionSeconds, (s, v) => set(s, get(s) with { DeadLetterRetentionSeconds = (int)v! })) { Min = 60, Max = 1209600 };
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
