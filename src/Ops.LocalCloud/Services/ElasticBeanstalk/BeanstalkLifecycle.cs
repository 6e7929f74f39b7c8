using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>
/// An environment's status and health from the clock (Launching → Ready, Updating → Ready, Terminating →
/// Terminated, each taking the configured delay) and the events AWS logs as each transition completes.
/// </summary>
internal sealed class BeanstalkLifecycle(TimeSpan delay)
{
    public string Status(BeanstalkEnvironment e, DateTimeOffset now)
    {
        if (e.TerminateStarted is { } t) return now < t + delay ? "Terminating" : "Terminated";
        if (e.UpdateStarted is { } u && now < u + delay) return "Updating";
        return now < e.Created + delay ? "Launching" : "Ready";
    }

    /// <summary>Enhanced health status and the colour of basic health; a failed deploy shows only here.</summary>
    public (string Health, string Color) Health(BeanstalkEnvironment e, DateTimeOffset now) => Status(e, now) switch
    {
        "Ready" when e.LastDeployFailed => ("Severe", "Red"),
        "Ready" => ("Ok", "Green"),
        "Terminated" => ("Unknown", "Grey"),
        _ => ("Pending", "Grey"),
    };

    /// <summary>Completes transitions whose time has come, logging the events AWS would.</summary>
    public void Advance(ElasticBeanstalkState state, RequestContext c)
    {
        foreach (var e in state.Environments)
        {
            var status = Status(e, c.Now);
            var transition = $"{status}@{e.UpdateStarted?.ToUnixTimeMilliseconds()}@{e.TerminateStarted?.ToUnixTimeMilliseconds()}";
            if (e.Announced == transition || status is "Launching" or "Updating" or "Terminating") continue;
            e.Announced = transition;
            switch (status)
            {
                case "Ready" when e.UpdateStarted != null && e.LastDeployFailed:
                    Event(state, c, e, "ERROR", "Failed to deploy application.");
                    Event(state, c, e, "ERROR", "Environment health has transitioned from Ok to Severe.");
                    break;
                case "Ready" when e.UpdateStarted != null:
                    Event(state, c, e, "INFO", "Environment update completed successfully.");
                    break;
                case "Ready":
                    Event(state, c, e, "INFO", "Successfully launched environment: " + e.Name);
                    break;
                case "Terminated":
                    Event(state, c, e, "INFO", "terminateEnvironment completed successfully.");
                    break;
            }
        }
    }

    /// <summary>Logs an environment event (the last 1000 kept).</summary>
    public static void Event(ElasticBeanstalkState state, RequestContext c, BeanstalkEnvironment e, string severity, string message)
    {
        var o = new JsonObject
        {
            ["EventDate"] = c.Now.ToString("O"), ["Message"] = message, ["ApplicationName"] = e.Application, ["EnvironmentName"] = e.Name,
            ["VersionLabel"] = e.Version, ["Severity"] = severity, ["RequestId"] = c.RequestId,
        };
        state.Events.Add(o);
        if (state.Events.Count > 1000) state.Events.RemoveAt(0);
    }
}
