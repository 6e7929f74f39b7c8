using System.Text.Json.Nodes;
using Ops.Contracts;
using Ops.LocalCloud.Protocol;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>Beanstalk environments: create, describe, deploy (update), terminate, health and events.</summary>
internal sealed partial class ElasticBeanstalkService
{
    JsonNode? CreateEnvironment(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var app = FindApplication(Required(i, "ApplicationName"));
        var name = Required(i, "EnvironmentName");
        if (State.Environments.Any(e => e.Name == name && Status(e, c.Now) != "Terminated"))
            throw AwsError.Invalid($"Environment {name} already exists.");
        var version = Optional(i, "VersionLabel");
        if (version != null && !app.Versions.ContainsKey(version)) throw AwsError.Invalid($"No Application Version named '{version}' found.");
        var env = new BeanstalkEnvironment
        {
            Id = "e-" + Guid.NewGuid().ToString("N")[..10],
            Name = name,
            Application = app.Name,
            Version = version,
            Created = c.Now,
            SolutionStack = Optional(i, "SolutionStackName") ?? "64bit Amazon Linux 2023 v4.1.0 running Python 3.11",
        };
        MergeTags(env.Tags, i["Tags"]);
        MergeOptions(env, i);
        State.Environments.Add(env);
        Event(c, env, "INFO", "createEnvironment is starting.");
        StartWeb(env, Web.WebStart.Create);
        return EnvironmentView(env, c);
    });

    JsonNode? DescribeEnvironments(JsonObject i, RequestContext c) => Read(c, () =>
    {
        var appName = Optional(i, "ApplicationName");
        var names = Strings(i, "EnvironmentNames").ToList();
        var ids = Strings(i, "EnvironmentIds").ToList();
        var includeDeleted = i["IncludeDeleted"] is null || Flag(i, "IncludeDeleted");
        var envs = State.Environments.Where(e =>
            (appName == null || e.Application == appName) && (names.Count == 0 || names.Contains(e.Name)) && (ids.Count == 0 || ids.Contains(e.Id))
            && (includeDeleted || Status(e, c.Now) != "Terminated"));
        return new JsonObject { ["Environments"] = new JsonArray(envs.Select(e => (JsonNode?)EnvironmentView(e, c)).ToArray()) };
    });

    JsonNode? UpdateEnvironment(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var env = FindEnvironment(i, c);
        if (Status(env, c.Now) != "Ready")
            throw AwsError.Invalid($"Environment named {env.Name} is in an invalid state for this operation. Must be Ready.");
        if (Optional(i, "VersionLabel") is { } version)
        {
            var app = FindApplication(env.Application);
            if (!app.Versions.TryGetValue(version, out var v)) throw AwsError.Invalid($"No Application Version named '{version}' found.");
            env.Version = version;
            env.LastDeployFailed = ((string?)v["SourceBundle"]?["S3Key"])?.Contains("fail-deploy") == true;
        }
        MergeOptions(env, i);
        env.UpdateStarted = c.Now;
        Event(c, env, "INFO", "Environment update is starting.");
        if (StartWeb(env, Web.WebStart.Update)) env.LastDeployFailed = false;
        return EnvironmentView(env, c);
    });

    JsonNode? TerminateEnvironment(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var env = FindEnvironment(i, c);
        env.TerminateStarted ??= c.Now;
        _web?.Stop(env.Id);
        Event(c, env, "INFO", "terminateEnvironment is starting.");
        var view = EnvironmentView(env, c);
        view["Status"] = "Terminating"; // what AWS answers the call itself, however quickly the environment then goes
        return view;
    });

    JsonNode? DescribeEnvironmentHealth(JsonObject i, RequestContext c) => Read(c, () =>
    {
        var env = FindEnvironment(i, c);
        var (health, color) = _lifecycle.Health(env, c.Now);
        return new JsonObject
        {
            ["EnvironmentName"] = env.Name,
            ["HealthStatus"] = health,
            ["Status"] = Status(env, c.Now),
            ["Color"] = color,
            ["Causes"] = new JsonArray(Causes(env, c).Select(cause => (JsonNode?)cause).ToArray()),
            ["RefreshedAt"] = c.Now.ToString("O"),
        };
    });

    JsonNode? DescribeEvents(JsonObject i, RequestContext c) => Read(c, () =>
    {
        var app = Optional(i, "ApplicationName");
        var envName = Optional(i, "EnvironmentName");
        var severity = Optional(i, "Severity");
        var since = i["StartTime"] is { } st ? WireCodec.Timestamp(st) : DateTimeOffset.MinValue;
        var levels = new[] { "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL" };
        var events = State.Events.Where(e =>
            (app == null || (string?)e["ApplicationName"] == app) && (envName == null || (string?)e["EnvironmentName"] == envName)
            && WireCodec.Timestamp(e["EventDate"]!) >= since
            && (severity == null || Array.IndexOf(levels, (string?)e["Severity"]) >= Array.IndexOf(levels, severity)))
            .OrderByDescending(e => (string?)e["EventDate"]).Select(e => (JsonNode?)e.DeepClone()).ToList();
        return Paginate(i, events, "Events", "NextToken", "MaxRecords", 1000);
    });

    /// <summary>Why the environment is not healthy: its web process's failed check, or a simulated failed deploy.</summary>
    IEnumerable<string> Causes(BeanstalkEnvironment env, RequestContext c)
    {
        if (Status(env, c.Now) != "Ready") return [];
        if (env.Real && _web != null) return _web.Healthy(env.Id) == false && _web.Cause(env.Id) is { } cause ? [cause] : [];
        return env.LastDeployFailed ? ["Failed to deploy application."] : [];
    }

    /// <summary>The newest environment not yet terminated with the request's EnvironmentName and/or EnvironmentId.</summary>
    BeanstalkEnvironment FindEnvironment(JsonObject i, RequestContext c)
    {
        var name = Optional(i, "EnvironmentName");
        var id = Optional(i, "EnvironmentId");
        return State.Environments.LastOrDefault(e => (name == null || e.Name == name) && (id == null || e.Id == id) && Status(e, c.Now) != "Terminated")
            ?? throw AwsError.Invalid($"No Environment found for EnvironmentName = '{name ?? id}'.");
    }

    JsonObject EnvironmentView(BeanstalkEnvironment e, RequestContext c)
    {
        var (health, color) = _lifecycle.Health(e, c.Now);
        return new JsonObject
        {
            ["EnvironmentName"] = e.Name,
            ["EnvironmentId"] = e.Id,
            ["ApplicationName"] = e.Application,
            ["VersionLabel"] = e.Version,
            ["SolutionStackName"] = e.SolutionStack,
            ["Status"] = Status(e, c.Now),
            ["Health"] = color,
            ["HealthStatus"] = health,
            ["DateCreated"] = e.Created.ToString("O"),
            ["DateUpdated"] = (e.UpdateStarted ?? e.Created).ToString("O"),
            ["CNAME"] = e.Real && e.Port is { } port ? $"127.0.0.1:{port}" : LocalCloudHosts.Simulated($"{e.Name}.{c.Region}.elasticbeanstalk"),
            ["EndpointURL"] = e.Real && e.Port is { } p ? $"127.0.0.1:{p}" : LocalCloudHosts.Simulated($"{e.Name}"),
            ["Tier"] = new JsonObject { ["Name"] = "WebServer", ["Type"] = "Standard", ["Version"] = "1.0" },
            ["EnvironmentArn"] = c.Arn("elasticbeanstalk", $"environment/{e.Application}/{e.Name}"),
        };
    }
}
