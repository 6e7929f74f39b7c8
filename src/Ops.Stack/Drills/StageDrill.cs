using System.Diagnostics;
using Ops.Aws.ElasticBeanstalk;
using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Lifecycle;
using Ops.Stack.Output;
using Ops.Stack.Rollout;
using Ops.Stack.Web;

namespace Ops.Stack.Drills;

/// <summary>
/// drill: proves the stage can be rebuilt from its definition without losing data. Writes a marker into every store
/// (<see cref="DrillMarkers"/>), tears the compute down, recreates it, checks that the web tier serves again (the end of
/// the RTO), then that every marker survived and the recreated workers consumed the queued message. Writes the report
/// (also when a phase fails, naming it), and with <paramref name="json"/> prints it on stdout as the drill result of
/// docs/output.md; fails naming whatever was lost. With <paramref name="iamDenied"/> (the local cloud's count of requests
/// its IAM refused), a drill in which any part was refused something fails too: on AWS that part would not work.
/// </summary>
public sealed class StageDrill(RolloutSession session, string reportDirectory, bool json = false, Func<long>? iamDenied = null)
{
    readonly StageContext _context = session.Context;

    public async Task<DrillReport> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var id = $"{started:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
        var report = new DrillReport { DrillId = id, Stage = _context.Stack.Stage, Cloud = ResultJson.CloudName(_context), StartedAt = started };
        var markers = new DrillMarkers(_context, id);
        var deniedBefore = iamDenied?.Invoke();
        var log = _context.Log;
        var phase = "markers";
        try
        {
            log.Info($"drill {id}: writing a marker into every store");
            var clock = Stopwatch.StartNew();
            report.Markers = await markers.WriteAsync(ct);
            report.Phases.Add((phase, clock.Elapsed));
            foreach (var m in report.Markers) log.Info($"  {m.Store}: {m.State} {m.Where}{(m.Detail is { } d ? $" — {d}" : "")}");

            phase = "teardown";
            log.Info($"drill {id}: teardown");
            var rto = Stopwatch.StartNew();
            clock.Restart();
            await new StageTeardown(session).TeardownAsync(ct);
            var tornDown = session.Last?.Tasks.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
            // No worker runs now: a message queued here can only be consumed by a recreated one.
            var queued = await markers.WriteQueueAsync(ct);
            report.Markers = [.. report.Markers, queued];
            log.Info($"  {queued.Store}: {queued.State} {queued.Where} (while no worker runs)");
            report.Phases.Add((phase, clock.Elapsed));

            phase = "recreate";
            log.Info($"drill {id}: recreate");
            clock.Restart();
            await new StageRecreate(_context).RecreateAsync(ct);
            var url = await ServingAsync(ct);
            report.Phases.Add((phase, clock.Elapsed));
            report.Rto = rto.Elapsed;
            log.Info($"drill {id}: serving again at {url} after {rto.Elapsed.TotalSeconds:0.0} s");

            phase = "verify";
            log.Info($"drill {id}: verifying the markers");
            clock.Restart();
            await markers.VerifyAsync(report.Markers, QueueWait, tornDown, ct);
            report.Phases.Add((phase, clock.Elapsed));
            report.Parts = await PartsAsync(report.Markers, url, ct);
            if (deniedBefore is { } before) report.IamDenied = iamDenied!() - before;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The report says which phase failed and what had been found so far; the error itself is reported as it is.
            report.Failure = $"{phase}: {e.Message}";
            Finish(report);
            throw;
        }

        var markdown = Finish(report);
        if (report.Lost.Count > 0)
            throw new CloudStateException($"drill {id} lost {report.Lost.Count} marker(s): {string.Join("; ", report.Lost.Select(m => $"{m.Store} {m.Where} ({m.Detail})"))}; the report is {markdown}.");
        if (report.IamDenied > 0)
            throw new CloudStateException($"drill {id}: the local cloud refused {report.IamDenied} request(s) that a role's policies do not allow (.nuke/temp/local-cloud/iam-denied.log names each); on AWS that part would fail — add the permission to the stack (docs/iam.md) and run create-iam.");
        return report;
    }

    /// <summary>
    /// How long verify waits for a recreated worker to run the queued message: the stack's rollout.update-timeout (how long
    /// new workers may take to start), at most 2 minutes on the local cloud.
    /// </summary>
    TimeSpan QueueWait
    {
        get
        {
            var update = TimeSpan.FromSeconds(_context.Stack.Rollout.UpdateTimeoutSeconds);
            return _context.Connection.IsOpsLocalCloud && update > TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(2) : update;
        }
    }

    /// <summary>Writes the report's files, prints its summary (and with --output json the result); returns the markdown's path.</summary>
    string Finish(DrillReport report)
    {
        var (jsonPath, markdown) = report.Write(reportDirectory);
        foreach (var line in report.Summary()) _context.Log.Info(line);
        _context.Log.Info($"report: {markdown} and {jsonPath}");
        if (json) _context.Log.Data(ResultJson.Line(report.ToJson()));
        return markdown;
    }

    /// <summary>
    /// Which parts were real: the worker image (built and pushed to the registry, not the local command run without a
    /// container engine), the web tier (it answered), the workers (a recreated one consumed the drill's message), and the
    /// stores with a server behind them (the local cloud simulates those it has no server for; their markers are skipped).
    /// </summary>
    async Task<IReadOnlyList<DrillPart>> PartsAsync(IReadOnlyList<DrillMarker> markers, string url, CancellationToken ct)
    {
        var image = await new DeployedVersions(_context).WorkerAsync(ct);
        var parts = new List<DrillPart>
        {
            image == null ? new("worker-image", false, "no worker image recorded")
            : LocalCommandImage.IsLocalCommand(image) ? new("worker-image", false, "no image built (no container engine): the workers run the stack's local command")
            : new("worker-image", true, $"the workers run {image}"),
            new("web", true, $"{url} answered after recreate"),
        };
        foreach (var m in markers)
            if (m.Store == "sqs") parts.Add(new("workers", m.State == "survived", m.State == "survived" ? "a recreated worker consumed the drill's message" : m.Detail ?? m.State));
            else if (m.Store is "postgresql" or "redshift" or "redis") parts.Add(new(m.Store, m.State != "skipped", m.State == "skipped" ? m.Detail ?? "skipped" : m.Where));
        return parts;
    }

    /// <summary>The recreated web environment's URL once it answers GET / (recreate already waited for Ready and Green).</summary>
    async Task<string> ServingAsync(CancellationToken ct)
    {
        var env = await new EnvironmentWatch(_context, new ElasticBeanstalkClient(_context.Connection)).DescribeAsync(_context.Stack.Web.Environment, ct)
            ?? throw new CloudStateException($"drill: eb environment {_context.Stack.Web.Environment} is missing after recreate.");
        var url = $"http://{env.EndpointURL ?? env.CNAME}/";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Waiting.UntilAsync(_context, $"the web tier at {url}", async token =>
        {
            try
            {
                using var response = await http.GetAsync(url, token);
                return ((int)response.StatusCode < 500, $"HTTP {(int)response.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                return (false, e.Message);
            }
            catch (TaskCanceledException) when (!token.IsCancellationRequested)
            {
                return (false, "no answer within 10 s");
            }
        }, ct);
        return url;
    }
}
