using System.Text.Json.Nodes;
using Ops.LocalCloud.Web;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>Beanstalk's option settings, and environments that run their version's web process for real (<see cref="WebProcesses"/>).</summary>
internal sealed partial class ElasticBeanstalkService
{
    /// <summary>Starts again, on the port each had, the web processes of environments that ran one when the local cloud stopped.</summary>
    public void ResumeBackends()
    {
        if (_web == null) return;
        lock (Gate)
            foreach (var env in State.Environments.Where(e => e.Real && e.TerminateStarted == null && e.Version != null))
            {
                env.Port = _web.PortFor(env.Id);
                _web.Deploy(Deployment(env, WebStart.Resume));
            }
        Persist();
    }

    JsonNode? DescribeConfigurationSettings(JsonObject i, RequestContext c) => Read(c, () =>
    {
        if (Optional(i, "TemplateName") is { } template)
            throw AwsError.Invalid($"No Configuration Template named '{Required(i, "ApplicationName")}/{template}' found.");
        var app = FindApplication(Required(i, "ApplicationName"));
        var env = FindEnvironment(new JsonObject { ["EnvironmentName"] = Required(i, "EnvironmentName") }, c);
        if (env.Application != app.Name) throw AwsError.Invalid($"No Environment found for EnvironmentName = '{env.Name}'.");
        var settings = new JsonObject
        {
            ["SolutionStackName"] = env.SolutionStack,
            ["ApplicationName"] = app.Name,
            ["EnvironmentName"] = env.Name,
            ["DeploymentStatus"] = "deployed",
            ["DateCreated"] = env.Created.ToString("O"),
            ["DateUpdated"] = (env.UpdateStarted ?? env.Created).ToString("O"),
            ["OptionSettings"] = new JsonArray(env.Options.Select(o => (JsonNode?)new JsonObject
            {
                ["Namespace"] = o.Namespace,
                ["OptionName"] = o.OptionName,
                ["Value"] = o.Value,
            }).ToArray()),
        };
        return new JsonObject { ["ConfigurationSettings"] = new JsonArray(settings) };
    });

    /// <summary>Applies a request's <c>OptionSettings</c> (set or replace) and <c>OptionsToRemove</c> to the environment's options.</summary>
    static void MergeOptions(BeanstalkEnvironment env, JsonObject i)
    {
        foreach (var remove in i["OptionsToRemove"] as JsonArray ?? [])
            env.Options.RemoveAll(o => o.Namespace == (string?)remove?["Namespace"] && o.OptionName == (string?)remove?["OptionName"]);
        foreach (var set in i["OptionSettings"] as JsonArray ?? [])
        {
            var ns = (string?)set?["Namespace"];
            var name = (string?)set?["OptionName"];
            if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name))
                throw AwsError.Invalid("Each option setting needs a Namespace and an OptionName.");
            env.Options.RemoveAll(o => o.Namespace == ns && o.OptionName == name);
            env.Options.Add(new BeanstalkOption { Namespace = ns, OptionName = name, Value = (string?)set!["Value"] ?? "" });
        }
    }

    /// <summary>Runs the environment's version for real when there are web processes and it has a version; false leaves it to the clock.</summary>
    bool StartWeb(BeanstalkEnvironment env, WebStart reason)
    {
        if (_web == null || env.Version == null) return false;
        env.Real = true;
        env.Port ??= _web.PortFor(env.Id);
        _web.Deploy(Deployment(env, reason));
        return true;
    }

    WebDeployment Deployment(BeanstalkEnvironment env, WebStart reason)
    {
        var bundle = State.Applications.GetValueOrDefault(env.Application)?.Versions.GetValueOrDefault(env.Version!)?["SourceBundle"];
        var variables = env.Options.Where(o => o.Namespace == EnvironmentNamespace).ToDictionary(o => o.OptionName, o => o.Value, StringComparer.Ordinal);
        var profile = env.Options.FirstOrDefault(o => o is { Namespace: "aws:autoscaling:launchconfiguration", OptionName: "IamInstanceProfile" })?.Value;
        return new WebDeployment(env.Id, env.Name, env.Version!, (string?)bundle?["S3Bucket"], (string?)bundle?["S3Key"], variables, HealthPath(env), env.Port!.Value,
            reason,
            string.IsNullOrEmpty(profile) ? null : profile);
    }

    /// <summary>The path of <c>aws:elasticbeanstalk:application</c>'s "Application Healthcheck URL" ("/health" or "HTTP:80/health"); "/" by default.</summary>
    static string HealthPath(BeanstalkEnvironment env)
    {
        var url = env.Options.FirstOrDefault(o => o.Namespace == "aws:elasticbeanstalk:application" && o.OptionName == "Application Healthcheck URL")?.Value ?? "";
        var slash = url.IndexOf('/');
        return slash < 0 ? "/" : url[slash..];
    }
}
