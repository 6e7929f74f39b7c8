using Ops.Stack.Core;
using Ops.Stack.Model;

namespace Ops.Stack.Web;

/// <summary>
/// The option settings Ops gives the stage's Elastic Beanstalk environment, and their difference from what it has.
/// No <c>aws:rds:dbinstance</c> option ever: the database is the stack's own RDS instance, never one EB manages.
/// Environment variables hold names and endpoints only; the app reads secret values from SSM itself.
/// </summary>
public static class WebSettings
{
    public const string Environment = "aws:elasticbeanstalk:application:environment";
    public const string LaunchConfiguration = "aws:autoscaling:launchconfiguration";
    public const string Application = "aws:elasticbeanstalk:application";
    public const string HealthReporting = "aws:elasticbeanstalk:healthreporting:system";
    public const string Topics = "aws:elasticbeanstalk:sns:topics";
    public const string EnvironmentSettings = "aws:elasticbeanstalk:environment";

    /// <summary>Every option the stack wants, environment variables last (sorted by name).</summary>
    public static IReadOnlyList<WebOption> Desired(StageStack stack, WebInputs inputs)
    {
        var options = new List<WebOption>
        {
            new(LaunchConfiguration, "InstanceType", stack.Web.InstanceType),
            new(LaunchConfiguration, "IamInstanceProfile", stack.Iam.WebRole),
            new(EnvironmentSettings, "ServiceRole", stack.Iam.WebServiceRole),
            new(Application, "Application Healthcheck URL", stack.Web.HealthPath),
            new(HealthReporting, "SystemType", "enhanced"),
        };
        if (inputs.SecurityGroupId != null) options.Add(new(LaunchConfiguration, "SecurityGroups", inputs.SecurityGroupId));
        if (inputs.TopicArn != null) options.Add(new(Topics, "Notification Topic ARN", inputs.TopicArn));
        options.AddRange(Variables(stack, inputs).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new WebOption(Environment, v.Key, v.Value)));
        return options;
    }

    /// <summary>The web process's environment: the stack's variables and the reserved OPS_* names (docs/web.md).</summary>
    public static IReadOnlyDictionary<string, string> Variables(StageStack stack, WebInputs inputs)
    {
        var variables = new Dictionary<string, string>(stack.Web.EnvironmentVariables, StringComparer.Ordinal)
        {
            ["OPS_STAGE"] = stack.Stage,
            ["OPS_SECRETS_PREFIX"] = stack.Secrets.Prefix,
            ["OPS_SECRET_NAMES"] = string.Join(',', stack.Secrets.Required),
            ["OPS_DATABASE_NAME"] = stack.Database.Name,
            ["OPS_DATABASE_USER"] = stack.Database.MasterUser,
            ["OPS_WORK_QUEUE"] = stack.Queues.Work.Name,
            ["OPS_STATICS_BUCKET"] = stack.Buckets.Statics,
        };
        if (inputs.DatabaseHost != null) variables["OPS_DATABASE_HOST"] = inputs.DatabaseHost;
        if (inputs.DatabasePort is { } dbPort) variables["OPS_DATABASE_PORT"] = dbPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (inputs.RedisHost != null) variables["OPS_REDIS_HOST"] = inputs.RedisHost;
        if (inputs.RedisPort is { } redisPort) variables["OPS_REDIS_PORT"] = redisPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return variables;
    }

    /// <summary>
    /// The options to set and the environment variables to remove so that <paramref name="actual"/> matches
    /// <paramref name="desired"/>, each as a printable change. Only the options Ops sets are compared (AWS lists
    /// hundreds of defaults); a security group list passes when it contains the web group (EB adds its own).
    /// Variable values are never printed: a hand-set one could be a secret.
    /// </summary>
    public static (IReadOnlyList<WebOption> Set, IReadOnlyList<WebOption> Remove, IReadOnlyList<Change> Changes) Diff(
        string resource, IReadOnlyList<WebOption> desired, IReadOnlyList<WebOption> actual)
    {
        var have = actual.GroupBy(o => (o.Namespace, o.Name)).ToDictionary(g => g.Key, g => g.Last().Value);
        var set = new List<WebOption>();
        var changes = new List<Change>();
        foreach (var option in desired)
        {
            var current = have.GetValueOrDefault((option.Namespace, option.Name));
            if (Matches(option, current)) continue;
            set.Add(option);
            changes.Add(option.Namespace == Environment
                ? new Change(resource, $"environment variable {option.Name}", current == null ? "(unset)" : "(another value)", "set from the stack")
                : new Change(resource, $"{option.Namespace} {option.Name}", string.IsNullOrEmpty(current) ? "(unset)" : current, option.Value));
        }
        var wanted = desired.Where(o => o.Namespace == Environment).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var remove = actual.Where(o => o.Namespace == Environment && !wanted.Contains(o.Name)).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        changes.AddRange(remove.Select(o => new Change(resource, $"environment variable {o.Name}", "(set)", "removed: not in the stack")));
        return (set, remove, changes);
    }

    static bool Matches(WebOption wanted, string? current) =>
        wanted is { Namespace: LaunchConfiguration, Name: "SecurityGroups" }
            ? (current ?? "").Split(',', StringSplitOptions.TrimEntries).Contains(wanted.Value)
            : current == wanted.Value;
}
