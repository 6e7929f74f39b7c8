using System.Globalization;
using Ops.Stack.Model;

namespace Ops.Stack.Loading;

/// <summary>Checks a resolved stage against the limits and naming rules AWS enforces, and the fields' rules among each other.</summary>
internal static class StackValidator
{
    /// <summary>AWS's limit of tags per resource.</summary>
    public const int MaxTags = 50;

    /// <summary>
    /// Throws the first problem. <paramref name="origins"/> says where the file set each field; a field it did not set
    /// came from the built-in stack and is reported at <paramref name="fallback"/> (the stage's key).
    /// </summary>
    public static void Check(StageStack stack, IReadOnlyDictionary<string, Origin> origins, Origin fallback)
    {
        Origin At(string path) => origins.TryGetValue(path, out var o) ? o : fallback.WithPath($"{fallback.Path}.{path}");

        foreach (var field in StackSchema.Fields)
        {
            var at = At(field.Path);
            switch (field.Get(stack))
            {
                case string text:
                    if (field.Choices != null && !field.Choices.Contains(text))
                        throw at.Error($"'{text}' is not one of {string.Join(", ", field.Choices)} — use one of them");
                    if (field.Rule?.Check(text) is { } bad) throw at.Error(bad);
                    break;
                case int n when field.Choices != null:
                    if (!field.Choices.Contains(n.ToString(CultureInfo.InvariantCulture)))
                        throw at.Error($"{n} is not a retention CloudWatch Logs offers — use one of {string.Join(", ", field.Choices)}");
                    break;
                case int n:
                    if (n < field.Min || n > field.Max)
                    {
                        var shown = field.Kind == FieldKind.Duration ? Durations.Format(Math.Max(n, 0)) : n.ToString(CultureInfo.InvariantCulture);
                        throw at.Error($"{shown} is out of range {field.Range} — use a value from {field.Range}");
                    }
                    break;
                case IReadOnlyList<string> list when field.Rule != null:
                    for (var i = 0; i < list.Count; i++)
                        if (field.Rule.Check(list[i]) is { } badItem) throw (origins.TryGetValue($"{field.Path}[{i}]", out var itemAt) ? itemAt : at).Error(badItem);
                    break;
                case IReadOnlyDictionary<string, string> map:
                    foreach (var (key, value) in map)
                    {
                        var entryAt = origins.TryGetValue($"{field.Path}.{key}", out var o) ? o : at;
                        if (field.ReservedKeys.TryGetValue(key, out var why)) throw entryAt.Error($"{key} may not be set here — {why}; remove it");
                        if (field.KeyRule?.Check(key) is { } badKey) throw entryAt.Error(badKey);
                        if (field.Rule?.Check(value) is { } badValue) throw entryAt.Error(badValue);
                    }
                    break;
            }
        }

        if (stack.Tags.Count > MaxTags)
            throw At("tags").Error($"{stack.Tags.Count} tags, with Project, Stage and ManagedBy — AWS allows {MaxTags} per resource; remove {stack.Tags.Count - MaxTags}");
        foreach (var (which, queue) in new[] { ("work", stack.Queues.Work), ("report", stack.Queues.Report) })
        {
            if (queue.DeadLetterName == queue.Name)
                throw At($"queues.{which}.dead-letter").Error($"'{queue.DeadLetterName}' is the queue's own name — name the dead-letter queue differently, like {queue.Name}-dlq");
        }
        var names = new[]
        {
            ("queues.work.name", stack.Queues.Work.Name), ("queues.work.dead-letter", stack.Queues.Work.DeadLetterName),
            ("queues.report.name", stack.Queues.Report.Name), ("queues.report.dead-letter", stack.Queues.Report.DeadLetterName),
        };
        foreach (var (path, name) in names)
        {
            var first = names.First(n => n.Item2 == name).Item1;
            if (first != path) throw At(origins.ContainsKey(path) ? path : first).Error($"'{name}' is also {first} — give each queue its own name");
        }
        var work = stack.Queues.Work;
        if (work.VisibilityTimeoutSeconds <= stack.Worker.LongestMessageSeconds)
        {
            var path = origins.ContainsKey("queues.work.visibility-timeout") || !origins.ContainsKey("worker.longest-message")
                ? "queues.work.visibility-timeout" : "worker.longest-message";
            throw At(path).Error(
                $"visibility timeout {Durations.Format(work.VisibilityTimeoutSeconds)} is not above worker.longest-message {Durations.Format(stack.Worker.LongestMessageSeconds)}, " +
                $"so a message still being processed would be delivered again — make queues.work.visibility-timeout longer than worker.longest-message");
        }
        if (stack.Rollout.Table == stack.WorkerLogTable)
            throw At(origins.ContainsKey("rollout.table") ? "rollout.table" : "worker-log-table").Error($"'{stack.Rollout.Table}' is also worker-log-table — the rollout needs its own table, like iotile-rollouts-{stack.Stage}");
        if (stack.Ecs.MinimumHealthyPercent >= stack.Ecs.MaximumPercent)
            throw At("ecs.minimum-healthy-percent").Error($"{stack.Ecs.MinimumHealthyPercent} is not below ecs.maximum-percent {stack.Ecs.MaximumPercent} — ECS could never replace a task; lower it");

        Distinct(At, origins, "security group", "give each group its own name",
            ("instances.security-group", stack.Instances.SecurityGroup), ("security-groups.web", stack.SecurityGroups.Web),
            ("security-groups.database", stack.SecurityGroups.Database), ("security-groups.cache", stack.SecurityGroups.Cache),
            ("security-groups.warehouse", stack.SecurityGroups.Warehouse));
        Distinct(At, origins, "Redshift cluster", "give each cluster its own identifier",
            ("redshift.cluster", stack.Redshift.Cluster), ("timeseries.cluster", stack.TimeSeries.Cluster));
        Distinct(At, origins, "bucket", "give each bucket its own name",
            ("buckets.statics", stack.Buckets.Statics), ("buckets.uploads", stack.Buckets.Uploads), ("buckets.firehose", stack.Buckets.Firehose));
        Distinct(At, origins, "DynamoDB table", "give each table its own name",
            ("worker-log-table", stack.WorkerLogTable), ("rollout.table", stack.Rollout.Table),
            ("tables.filter-log", stack.Tables.FilterLog), ("tables.devices", stack.Tables.Devices));
        Distinct(At, origins, "SNS topic", "give each topic its own name",
            ("topics.staff", stack.Topics.Staff), ("topics.web", stack.Topics.Web), ("topics.cache", stack.Topics.Cache));
        Distinct(At, origins, "IAM role", "give each role its own name",
            ("iam.worker-role", stack.Iam.WorkerRole), ("iam.execution-role", stack.Iam.ExecutionRole), ("instances.instance-profile", stack.Instances.InstanceProfile),
            ("iam.web-role", stack.Iam.WebRole), ("iam.web-service-role", stack.Iam.WebServiceRole), ("firehose.role", stack.Firehose.Role), ("iam.deploy-role", stack.Iam.DeployRole));
        foreach (var (list, entries) in new[] { ("secrets.required", stack.Secrets.Required), ("secrets.generated", stack.Secrets.Generated) })
            if (entries.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw At(list).Error($"'{twice.Key}' is listed twice — list each secret once");
        var known = stack.Secrets.Required.Concat(stack.Secrets.Generated).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, secret) in new[]
                 {
                     ("database.password-secret", stack.Database.PasswordSecret), ("redshift.password-secret", stack.Redshift.PasswordSecret),
                     ("timeseries.password-secret", stack.TimeSeries.PasswordSecret), ("redis.auth-secret", stack.Redis.AuthSecret),
                 })
        {
            if (!stack.Secrets.Generated.Contains(secret))
                throw At(path).Error(known.Contains(secret)
                    ? $"'{secret}' is required but not in secrets.generated — Ops makes this password itself; add {secret} to secrets.generated"
                    : $"'{secret}' is not in secrets.generated — add it there (Ops generates it into SSM), or name one that is");
        }
    }

    /// <summary>Fails on the first value in <paramref name="named"/> that an earlier one already has.</summary>
    static void Distinct(Func<string, Origin> at, IReadOnlyDictionary<string, Origin> origins, string what, string fix,
        params (string Path, string Value)[] named)
    {
        foreach (var (path, value) in named)
        {
            var first = named.First(n => n.Value == value).Path;
            if (first != path) throw at(origins.ContainsKey(path) ? path : first).Error($"'{value}' is also {first} — {fix} ({what} names must differ)");
        }
    }
}
