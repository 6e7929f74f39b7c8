using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>Beanstalk applications and their versions.</summary>
internal sealed partial class ElasticBeanstalkService
{
    JsonNode? CreateApplication(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var name = Required(i, "ApplicationName");
        if (State.Applications.ContainsKey(name)) throw AwsError.Invalid($"Application {name} already exists.");
        var app = State.Applications[name] = new BeanstalkApplication { Name = name, Description = Optional(i, "Description"), Created = c.Now };
        return new JsonObject { ["Application"] = ApplicationView(app, c) };
    });

    JsonNode? DescribeApplications(JsonObject i, RequestContext c) => Read(c, () =>
    {
        var names = Strings(i, "ApplicationNames").ToList();
        return new JsonObject
        {
            ["Applications"] = new JsonArray(State.Applications.Values.Where(a => names.Count == 0
                || names.Contains(a.Name)).Select(a => (JsonNode?)ApplicationView(a, c)).ToArray()),
        };
    });

    JsonNode? DeleteApplication(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var app = FindApplication(Required(i, "ApplicationName"));
        var running = State.Environments.Where(e => e.Application == app.Name && Status(e, c.Now) != "Terminated").ToList();
        if (running.Count > 0 && !Flag(i, "TerminateEnvByForce"))
            throw AwsError.Invalid($"Unable to delete application {app.Name} because it has running environments.");
        foreach (var e in running)
        {
            e.TerminateStarted ??= c.Now;
            _web?.Stop(e.Id);
        }
        State.Applications.Remove(app.Name);
        return new JsonObject();
    });

    JsonNode? CreateApplicationVersion(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var app = FindApplication(Required(i, "ApplicationName"));
        var label = Required(i, "VersionLabel");
        if (app.Versions.ContainsKey(label)) throw AwsError.Invalid($"Application Version {label} already exists.");
        app.Versions[label] = new JsonObject
        {
            ["ApplicationName"] = app.Name,
            ["VersionLabel"] = label,
            ["Description"] = Optional(i, "Description"),
            ["SourceBundle"] = i["SourceBundle"]?.DeepClone(),
            ["DateCreated"] = c.Now.ToString("O"),
            ["DateUpdated"] = c.Now.ToString("O"),
            ["Status"] = Flag(i, "Process") ? "PROCESSED" : "UNPROCESSED",
            ["ApplicationVersionArn"] = c.Arn("elasticbeanstalk", $"applicationversion/{app.Name}/{label}"),
        };
        return new JsonObject { ["ApplicationVersion"] = app.Versions[label].DeepClone() };
    });

    JsonNode? DescribeApplicationVersions(JsonObject i, RequestContext c) => Read(c, () =>
    {
        var appName = Optional(i, "ApplicationName");
        var labels = Strings(i, "VersionLabels").ToList();
        var versions = State.Applications.Values.Where(a => appName == null || a.Name == appName)
            .SelectMany(a => a.Versions.Values).Where(v => labels.Count == 0 || labels.Contains((string)v["VersionLabel"]!))
            .OrderByDescending(v => (string?)v["DateCreated"]).Select(v => (JsonNode?)v.DeepClone()).ToList();
        return Paginate(i, versions, "ApplicationVersions", "NextToken", "MaxRecords", 1000);
    });

    JsonNode? DeleteApplicationVersion(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var app = FindApplication(Required(i, "ApplicationName"));
        var label = Required(i, "VersionLabel");
        if (State.Environments.Any(e => e.Application == app.Name && e.Version == label && Status(e, c.Now) != "Terminated"))
            throw new AwsError("SourceBundleDeletion", $"Unable to delete application version {label} because it is deployed to a running environment.");
        if (!app.Versions.Remove(label)) throw AwsError.Invalid($"No Application Version named '{label}' found.");
        return new JsonObject();
    });

    BeanstalkApplication FindApplication(string name) =>
        State.Applications.TryGetValue(name, out var a) ? a : throw AwsError.Invalid($"No Application named '{name}' found.");

    static JsonObject ApplicationView(BeanstalkApplication a, RequestContext c) => new()
    {
        ["ApplicationName"] = a.Name,
        ["Description"] = a.Description,
        ["DateCreated"] = a.Created.ToString("O"),
        ["Versions"] = new JsonArray(a.Versions.Keys.Select(k => (JsonNode?)k).ToArray()),
        ["ApplicationArn"] = c.Arn("elasticbeanstalk", $"application/{a.Name}"),
    };
}
