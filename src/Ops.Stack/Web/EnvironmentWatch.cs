using Ops.Aws.ElasticBeanstalk;
using Ops.Stack.Core;

namespace Ops.Stack.Web;

/// <summary>
/// Waits for an Elastic Beanstalk environment to be Ready AND Green running a given version with no ERROR event since a
/// given time, printing its status and each new event as they come. A failure is returned as a reason, not thrown, so
/// deploy can roll back.
/// </summary>
internal sealed class EnvironmentWatch(StageContext context, ElasticBeanstalkClient eb)
{
    /// <summary>How long Ready-but-Red may last before it counts as failed (AWS's enhanced health settles within this).</summary>
    static readonly TimeSpan RedGrace = TimeSpan.FromSeconds(20);

    static readonly string[] Failing = ["ERROR", "FATAL"];

    /// <summary>The environment once it is Ready and Green on <paramref name="label"/> (any version when null), or the reason it is not.</summary>
    public Task<(EnvironmentDescription? Healthy, string? Failure)> UntilHealthyAsync(string environment, string? label, DateTimeOffset since, TimeSpan timeout,
        CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var seen = new HashSet<(DateTimeOffset?, string?)>();
        string? last = null;
        DateTimeOffset? redSince = null;
        return Waiting.PollAsync<(EnvironmentDescription?, string?)>(context.PollInterval, async token =>
        {
            var env = await DescribeAsync(environment, token);
            var events = await EventsAsync(environment, since, token);
            foreach (var e in events.Reverse().Where(e => seen.Add((e.EventDate, e.Message))).OrderBy(e => e.EventDate))
                context.Log.Info($"  event {e.EventDate:HH:mm:ss} {e.Severity} {e.Message}");
            // Oldest first (the service lists newest first): the cause, then AWS's summary ("Failed to deploy application.").
            var errors = events.Reverse().Where(e => Failing.Contains(e.Severity)).OrderBy(e => e.EventDate).Select(e => e.Message).Distinct().ToList();
            if (errors.Count > 0)
                return (true, (null, $"{(errors.Count == 1 ? "ERROR event" : "ERROR events")}: {string.Join(" ", errors.Select(m => m?.TrimEnd('.') + "."))}"));
            if (env == null) return (true, (null, $"environment {environment} no longer exists"));
            var waited = DateTimeOffset.UtcNow - started;
            var status = $"{env.Status}, health {env.Health}, version {env.VersionLabel ?? "(none)"}";
            if (status != last)
            {
                context.Log.Info($"  environment {environment}: {status} ({waited.TotalSeconds:0}s)");
                last = status;
            }
            var onVersion = label == null || env.VersionLabel == label;
            if (env.Status == "Ready" && env.Health == "Green" && onVersion) return (true, (env, null));
            redSince = env.Status == "Ready" && env.Health == "Red" && onVersion ? redSince ?? DateTimeOffset.UtcNow : null;
            if (redSince != null && DateTimeOffset.UtcNow - redSince > RedGrace)
                return (true, (null, $"health Red{await CausesAsync(environment, token)}"));
            if (env.Status is "Terminating" or "Terminated") return (true, (null, $"environment {environment} is {env.Status}"));
            if (waited > timeout)
                return (true, (null, $"not Ready and Green after {timeout.TotalSeconds:0}s (last: {status}){await CausesAsync(environment, token)}"));
            return (false, (null, null));
        }, ct);
    }

    /// <summary>Waits until no operation is in progress on the environment (Ready), whatever its health; false on timeout.</summary>
    public Task<EnvironmentDescription?> UntilSettledAsync(string environment, TimeSpan timeout, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        string? last = null;
        return Waiting.PollAsync(context.PollInterval, async token =>
        {
            var env = await DescribeAsync(environment, token);
            if (env == null || env.Status == "Ready") return (true, env);
            if (env.Status != last)
            {
                context.Log.Info($"  environment {environment}: {env.Status}, waiting for it to settle ({(DateTimeOffset.UtcNow - started).TotalSeconds:0}s)");
                last = env.Status;
            }
            if (DateTimeOffset.UtcNow - started > timeout)
                throw new CloudStateException($"environment {environment} stayed {env.Status} for {timeout.TotalSeconds:0}s; check its events in the Elastic Beanstalk console, then run the target again.");
            return (false, env);
        }, ct);
    }

    /// <summary>Waits, printing its status, until the environment is terminated (create before making it again, teardown).</summary>
    public Task UntilGoneAsync(string environment, TimeSpan timeout, CancellationToken ct) =>
        Waiting.UntilAsync(context with { WaitTimeout = timeout }, $"eb environment {environment}",
            async token => await DescribeAsync(environment, token) is { } e ? (false, e.Status ?? "?") : (true, "Terminated"), ct);

    /// <summary>The environment named <paramref name="environment"/> that is not terminated, or null.</summary>
    public async Task<EnvironmentDescription?> DescribeAsync(string environment, CancellationToken ct) =>
        (await eb.DescribeEnvironmentsAsync(new DescribeEnvironmentsMessage
        {
            ApplicationName = context.Stack.Web.Application,
            EnvironmentNames = [environment],
            IncludeDeleted = false,
        }, ct)).Environments?.FirstOrDefault(e => e.Status != "Terminated");

    async Task<IReadOnlyList<EventDescription>> EventsAsync(string environment, DateTimeOffset since, CancellationToken ct)
    {
        var events = new List<EventDescription>();
        await foreach (var e in eb.DescribeEventsItemsAsync(new DescribeEventsMessage
        {
            ApplicationName = context.Stack.Web.Application,
            EnvironmentName = environment,
            StartTime = since,
        }, ct))
            events.Add(e);
        return events;
    }

    async Task<string> CausesAsync(string environment, CancellationToken ct)
    {
        var health = await eb.DescribeEnvironmentHealthAsync(new DescribeEnvironmentHealthRequest { EnvironmentName = environment, AttributeNames = ["Causes"] }, ct);
        return health.Causes is { Count: > 0 } causes ? ": " + string.Join("; ", causes) : "";
    }
}
