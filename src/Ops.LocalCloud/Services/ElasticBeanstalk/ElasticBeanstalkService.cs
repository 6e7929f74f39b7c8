using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>
/// Elastic Beanstalk: applications, versions, environments that launch (Launching → Ready), deploy
/// (Updating → Ready) and terminate (Terminating → Terminated), with Health and DescribeEvents. As on AWS,
/// a failed deploy also returns to Ready: only Health (Red) and an ERROR event tell. A version whose source
/// bundle key contains "fail-deploy" simulates such a failure.
/// </summary>
internal sealed class ElasticBeanstalkService : ServiceHandler<ElasticBeanstalkService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Application> Applications { get; set; } = new(StringComparer.Ordinal);
        public List<Environment> Environments { get; set; } = [];
        public List<JsonObject> Events { get; set; } = [];
    }

    public sealed class Application
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public DateTimeOffset Created { get; set; }
        public SortedDictionary<string, JsonObject> Versions { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Environment
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Application { get; set; } = "";
        public string? Version { get; set; }
        public string? SolutionStack { get; set; }
        public DateTimeOffset Created { get; set; }
        public DateTimeOffset? UpdateStarted { get; set; }
        public DateTimeOffset? TerminateStarted { get; set; }
        public bool LastDeployFailed { get; set; }

        /// <summary>The last state transition whose events were logged (status and the change it ended).</summary>
        public string? Announced { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new();
    }

    readonly TimeSpan _delay;
    public override string Name => "elasticbeanstalk";

    public ElasticBeanstalkService(StateStore store, LifecycleDelays delays) : base(store)
    {
        _delay = delays.Environment;
        On("CreateApplication", (i, c) => Write(c, () =>
        {
            var name = Required(i, "ApplicationName");
            if (State.Applications.ContainsKey(name)) throw AwsError.Invalid($"Application {name} already exists.");
            var app = State.Applications[name] = new Application { Name = name, Description = Optional(i, "Description"), Created = c.Now };
            return new JsonObject { ["Application"] = DescribeApplication(app, c) };
        }));
        On("DescribeApplications", (i, c) => Read(c, () =>
        {
            var names = Strings(i, "ApplicationNames").ToList();
            return new JsonObject
            {
                ["Applications"] = new JsonArray(State.Applications.Values.Where(a => names.Count == 0 || names.Contains(a.Name)).Select(a => (JsonNode?)DescribeApplication(a, c)).ToArray()),
            };
        }));
        On("DeleteApplication", (i, c) => Write(c, () =>
        {
            var app = FindApplication(Required(i, "ApplicationName"));
            var running = State.Environments.Where(e => e.Application == app.Name && Status(e, c.Now) != "Terminated").ToList();
            if (running.Count > 0 && !Flag(i, "TerminateEnvByForce"))
                throw AwsError.Invalid($"Unable to delete application {app.Name} because it has running environments.");
            foreach (var e in running) e.TerminateStarted ??= c.Now;
            State.Applications.Remove(app.Name);
            return new JsonObject();
        }));
        On("CreateApplicationVersion", (i, c) => Write(c, () =>
        {
            var app = FindApplication(Required(i, "ApplicationName"));
            var label = Required(i, "VersionLabel");
            if (app.Versions.ContainsKey(label)) throw AwsError.Invalid($"Application Version {label} already exists.");
            app.Versions[label] = new JsonObject
            {
                ["ApplicationName"] = app.Name, ["VersionLabel"] = label, ["Description"] = Optional(i, "Description"),
                ["SourceBundle"] = i["SourceBundle"]?.DeepClone(), ["DateCreated"] = c.Now.ToString("O"), ["DateUpdated"] = c.Now.ToString("O"),
                ["Status"] = Flag(i, "Process") ? "PROCESSED" : "UNPROCESSED",
                ["ApplicationVersionArn"] = c.Arn("elasticbeanstalk", $"applicationversion/{app.Name}/{label}"),
            };
            return new JsonObject { ["ApplicationVersion"] = app.Versions[label].DeepClone() };
        }));
        On("DescribeApplicationVersions", (i, c) => Read(c, () =>
        {
            var appName = Optional(i, "ApplicationName");
            var labels = Strings(i, "VersionLabels").ToList();
            var versions = State.Applications.Values.Where(a => appName == null || a.Name == appName)
                .SelectMany(a => a.Versions.Values).Where(v => labels.Count == 0 || labels.Contains((string)v["VersionLabel"]!))
                .OrderByDescending(v => (string?)v["DateCreated"]).Select(v => (JsonNode?)v.DeepClone()).ToList();
            return Paginate(i, versions, "ApplicationVersions", "NextToken", "MaxRecords", 1000);
        }));
        On("DeleteApplicationVersion", (i, c) => Write(c, () =>
        {
            var app = FindApplication(Required(i, "ApplicationName"));
            var label = Required(i, "VersionLabel");
            if (State.Environments.Any(e => e.Application == app.Name && e.Version == label && Status(e, c.Now) != "Terminated"))
                throw new AwsError("SourceBundleDeletion", $"Unable to delete application version {label} because it is deployed to a running environment.");
            if (!app.Versions.Remove(label)) throw AwsError.Invalid($"No Application Version named '{label}' found.");
            return new JsonObject();
        }));
        On("CreateEnvironment", (i, c) => Write(c, () =>
        {
            var app = FindApplication(Required(i, "ApplicationName"));
            var name = Required(i, "EnvironmentName");
            if (State.Environments.Any(e => e.Name == name && Status(e, c.Now) != "Terminated"))
                throw AwsError.Invalid($"Environment {name} already exists.");
            var version = Optional(i, "VersionLabel");
            if (version != null && !app.Versions.ContainsKey(version)) throw AwsError.Invalid($"No Application Version named '{version}' found.");
            var env = new Environment
            {
                Id = "e-" + Guid.NewGuid().ToString("N")[..10], Name = name, Application = app.Name, Version = version, Created = c.Now,
                SolutionStack = Optional(i, "SolutionStackName") ?? "64bit Amazon Linux 2023 v4.1.0 running Python 3.11",
            };
            MergeTags(env.Tags, i["Tags"]);
            State.Environments.Add(env);
            Event(c, env, "INFO", "createEnvironment is starting.");
            return Describe(env, c);
        }));
        On("DescribeEnvironments", (i, c) => Read(c, () =>
        {
            var appName = Optional(i, "ApplicationName");
            var names = Strings(i, "EnvironmentNames").ToList();
            var ids = Strings(i, "EnvironmentIds").ToList();
            var includeDeleted = i["IncludeDeleted"] is null || Flag(i, "IncludeDeleted");
            var envs = State.Environments.Where(e =>
                (appName == null || e.Application == appName) && (names.Count == 0 || names.Contains(e.Name)) && (ids.Count == 0 || ids.Contains(e.Id))
                && (includeDeleted || Status(e, c.Now) != "Terminated"));
            return new JsonObject { ["Environments"] = new JsonArray(envs.Select(e => (JsonNode?)Describe(e, c)).ToArray()) };
        }));
        On("UpdateEnvironment", (i, c) => Write(c, () =>
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
            env.UpdateStarted = c.Now;
            Event(c, env, "INFO", "Environment update is starting.");
            return Describe(env, c);
        }));
        On("TerminateEnvironment", (i, c) => Write(c, () =>
        {
            var env = FindEnvironment(i, c);
            env.TerminateStarted ??= c.Now;
            Event(c, env, "INFO", "terminateEnvironment is starting.");
            return Describe(env, c);
        }));
        On("DescribeEnvironmentHealth", (i, c) => Read(c, () =>
        {
            var env = FindEnvironment(i, c);
            var (health, color) = Health(env, c.Now);
            return new JsonObject
            {
                ["EnvironmentName"] = env.Name, ["HealthStatus"] = health, ["Status"] = Status(env, c.Now), ["Color"] = color,
                ["Causes"] = new JsonArray(env.LastDeployFailed && Status(env, c.Now) == "Ready" ? ["Failed to deploy application."] : Array.Empty<JsonNode?>()),
                ["RefreshedAt"] = c.Now.ToString("O"),
            };
        }));
        On("DescribeEvents", (i, c) => Read(c, () =>
        {
            var app = Optional(i, "ApplicationName");
            var envName = Optional(i, "EnvironmentName");
            var severity = Optional(i, "Severity");
            var since = i["StartTime"] is { } st ? Protocol.WireCodec.Timestamp(st) : DateTimeOffset.MinValue;
            var levels = new[] { "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL" };
            var events = State.Events.Where(e =>
                (app == null || (string?)e["ApplicationName"] == app) && (envName == null || (string?)e["EnvironmentName"] == envName)
                && Protocol.WireCodec.Timestamp(e["EventDate"]!) >= since
                && (severity == null || Array.IndexOf(levels, (string?)e["Severity"]) >= Array.IndexOf(levels, severity)))
                .OrderByDescending(e => (string?)e["EventDate"]).Select(e => (JsonNode?)e.DeepClone()).ToList();
            return Paginate(i, events, "Events", "NextToken", "MaxRecords", 1000);
        }));
        On("CreateStorageLocation", (_, c) => new JsonObject { ["S3Bucket"] = $"elasticbeanstalk-{c.Region}-{c.Account}" });
        On("ListAvailableSolutionStacks", (_, _) => new JsonObject
        {
            ["SolutionStacks"] = new JsonArray("64bit Amazon Linux 2023 v4.1.0 running Python 3.11", "64bit Amazon Linux 2023 v4.1.0 running Python 3.12", "64bit Amazon Linux 2023 v4.2.0 running Docker"),
        });
    }

    string Status(Environment e, DateTimeOffset now)
    {
        if (e.TerminateStarted is { } t) return now < t + _delay ? "Terminating" : "Terminated";
        if (e.UpdateStarted is { } u && now < u + _delay) return "Updating";
        return now < e.Created + _delay ? "Launching" : "Ready";
    }

    (string Health, string Color) Health(Environment e, DateTimeOffset now) => Status(e, now) switch
    {
        "Ready" when e.LastDeployFailed => ("Severe", "Red"),
        "Ready" => ("Ok", "Green"),
        "Terminated" => ("Unknown", "Grey"),
        _ => ("Pending", "Grey"),
    };

    /// <summary>Completes transitions whose time has come, logging the events AWS would.</summary>
    void Advance(RequestContext c)
    {
        foreach (var e in State.Environments)
        {
            var status = Status(e, c.Now);
            var transition = $"{status}@{e.UpdateStarted?.ToUnixTimeMilliseconds()}@{e.TerminateStarted?.ToUnixTimeMilliseconds()}";
            if (e.Announced == transition || status is "Launching" or "Updating" or "Terminating") continue;
            e.Announced = transition;
            switch (status)
            {
                case "Ready" when e.UpdateStarted != null && e.LastDeployFailed:
                    Event(c, e, "ERROR", "Failed to deploy application.");
                    Event(c, e, "ERROR", "Environment health has transitioned from Ok to Severe.");
                    break;
                case "Ready" when e.UpdateStarted != null:
                    Event(c, e, "INFO", "Environment update completed successfully.");
                    break;
                case "Ready":
                    Event(c, e, "INFO", "Successfully launched environment: " + e.Name);
                    break;
                case "Terminated":
                    Event(c, e, "INFO", "terminateEnvironment completed successfully.");
                    break;
            }
        }
    }

    void Event(RequestContext c, Environment e, string severity, string message)
    {
        var o = new JsonObject
        {
            ["EventDate"] = c.Now.ToString("O"), ["Message"] = message, ["ApplicationName"] = e.Application, ["EnvironmentName"] = e.Name,
            ["VersionLabel"] = e.Version, ["Severity"] = severity, ["RequestId"] = c.RequestId,
        };
        State.Events.Add(o);
        if (State.Events.Count > 1000) State.Events.RemoveAt(0);
    }

    JsonObject Describe(Environment e, RequestContext c)
    {
        var (health, color) = Health(e, c.Now);
        var o = new JsonObject
        {
            ["EnvironmentName"] = e.Name, ["EnvironmentId"] = e.Id, ["ApplicationName"] = e.Application, ["VersionLabel"] = e.Version,
            ["SolutionStackName"] = e.SolutionStack, ["Status"] = Status(e, c.Now), ["Health"] = color, ["HealthStatus"] = health,
            ["DateCreated"] = e.Created.ToString("O"), ["DateUpdated"] = (e.UpdateStarted ?? e.Created).ToString("O"),
            ["CNAME"] = $"{e.Name}.{c.Region}.elasticbeanstalk.local-cloud.internal", ["EndpointURL"] = $"{e.Name}.local-cloud.internal",
            ["Tier"] = new JsonObject { ["Name"] = "WebServer", ["Type"] = "Standard", ["Version"] = "1.0" },
            ["EnvironmentArn"] = c.Arn("elasticbeanstalk", $"environment/{e.Application}/{e.Name}"),
        };
        return o;
    }

    JsonObject DescribeApplication(Application a, RequestContext c) => new()
    {
        ["ApplicationName"] = a.Name, ["Description"] = a.Description, ["DateCreated"] = a.Created.ToString("O"),
        ["Versions"] = new JsonArray(a.Versions.Keys.Select(k => (JsonNode?)k).ToArray()),
        ["ApplicationArn"] = c.Arn("elasticbeanstalk", $"application/{a.Name}"),
    };

    Application FindApplication(string name) =>
        State.Applications.TryGetValue(name, out var a) ? a : throw AwsError.Invalid($"No Application named '{name}' found.");

    Environment FindEnvironment(JsonObject i, RequestContext c)
    {
        var name = Optional(i, "EnvironmentName");
        var id = Optional(i, "EnvironmentId");
        return State.Environments.LastOrDefault(e => (name == null || e.Name == name) && (id == null || e.Id == id) && Status(e, c.Now) != "Terminated")
            ?? throw AwsError.Invalid($"No Environment found for EnvironmentName = '{name ?? id}'.");
    }

    JsonNode? Read(RequestContext c, Func<JsonNode?> body)
    {
        lock (Gate)
        {
            Advance(c);
            Persist();
            return body();
        }
    }

    JsonNode? Write(RequestContext c, Func<JsonNode?> body)
    {
        lock (Gate)
        {
            Advance(c);
            var result = body();
            Persist();
            return result;
        }
    }

}
