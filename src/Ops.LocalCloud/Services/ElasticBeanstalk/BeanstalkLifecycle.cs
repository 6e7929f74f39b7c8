using System.Text.Json.Nodes;
using Ops.LocalCloud.Web;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>
/// An environment's status and health, and the events AWS logs as each transition completes. A simulated environment
/// follows the clock (Launching → Ready, Updating → Ready, Terminating → Terminated, each taking the configured delay);
/// one that runs a real web process (<see cref="BeanstalkEnvironment.Real"/>) follows that process: Launching or
/// Updating until its health checks give a verdict, then Ready with Green or Red health, Terminated once it stopped.
/// </summary>
internal sealed class BeanstalkLifecycle(TimeSpan delay, WebProcesses? web)
{
    public string Status(BeanstalkEnvironment e, DateTimeOffset now)
    {
        if (e.Real && web != null) return RealStatus(e, now);
        if (e.TerminateStarted is { } t) return now < t + delay ? "Terminating" : "Terminated";
        if (e.UpdateStarted is { } u && now < u + delay) return "Updating";
        return now < e.Created + delay ? "Launching" : "Ready";
    }

    string RealStatus(BeanstalkEnvironment e, DateTimeOffset now)
    {
        var phase = web!.Phase(e.Id);
        // Terminated once the process has stopped and, as on AWS, never sooner than the lifecycle's delay after the call.
        if (e.TerminateStarted is { } t) return phase == WebPhase.Stopped && now >= t + delay ? "Terminated" : "Terminating";
        if (phase != WebPhase.Deploying) return "Ready";
        return web.Reason(e.Id) switch
        {
            WebStart.Create => "Launching",
            WebStart.Update => "Updating",
            _ => "Ready",
        };
    }

    /// <summary>Enhanced health status and the colour of basic health; a failed deploy shows only here.</summary>
    public (string Health, string Color) Health(BeanstalkEnvironment e, DateTimeOffset now) => Status(e, now) switch
    {
        "Ready" when e.Real && web != null => web.Healthy(e.Id) switch
        {
            true => ("Ok", "Green"),
            false => ("Severe", "Red"),
            null => ("Unknown", "Grey"),
        },
        "Ready" when e.LastDeployFailed => ("Severe", "Red"),
        "Ready" => ("Ok", "Green"),
        "Terminated" => ("Unknown", "Grey"),
        _ => ("Pending", "Grey"),
    };

    /// <summary>Logs what web processes reported and completes transitions whose time has come, logging the events AWS would.</summary>
    public void Advance(ElasticBeanstalkState state, RequestContext c)
    {
        foreach (var e in state.Environments)
        {
            if (e.Real && web != null)
                foreach (var reported in web.Drain(e.Id))
                    Event(state, c, e, reported.Severity, reported.Message, reported.Time);
            var status = Status(e, c.Now);
            var transition = $"{status}@{e.UpdateStarted?.ToUnixTimeMilliseconds()}@{e.TerminateStarted?.ToUnixTimeMilliseconds()}";
            if (e.Announced == transition || status is "Launching" or "Updating" or "Terminating") continue;
            e.Announced = transition;
            switch (status)
            {
                case "Terminated":
                    Event(state, c, e, "INFO", "terminateEnvironment completed successfully.");
                    break;
                case "Ready" when e.Real && web != null: // the web process logged the outcome of its deploy
                    break;
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
            }
        }
    }

    /// <summary>Logs an environment event (the last 1000 kept), at <paramref name="at"/> or the request's time.</summary>
    public static void Event(ElasticBeanstalkState state, RequestContext c, BeanstalkEnvironment e, string severity, string message, DateTimeOffset? at = null)
    {
        var o = new JsonObject
        {
            ["EventDate"] = (at ?? c.Now).ToString("O"),
            ["Message"] = message,
            ["ApplicationName"] = e.Application,
            ["EnvironmentName"] = e.Name,
            ["VersionLabel"] = e.Version,
            ["Severity"] = severity,
            ["RequestId"] = c.RequestId,
        };
        state.Events.Add(o);
        if (state.Events.Count > 1000) state.Events.RemoveAt(0);
    }
}
