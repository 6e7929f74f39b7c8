using System.Diagnostics;
using Ops.Aws.ElasticBeanstalk;
using Ops.Stack.Fleet;
using Ops.Stack.Rollout;
using Ops.Stack.Web;

namespace Ops.Stack.Drills;

/// <summary>
/// drill: proves the stage can be rebuilt from its definition without losing data. Writes a marker into every store
/// (<see cref="DrillMarkers"/>), tears the compute down, recreates it, checks that the web tier serves again (the end of
/// the RTO), then that every marker survived and the recreated workers consumed the queued message. Writes the report;
/// fails naming whatever was lost.
/// </summary>
public sealed class StageDrill(RolloutSession session, string cloud, string reportDirectory)
{
    readonly FleetContext _context = session.Context;

    public async Task<DrillReport> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var id = $"{started:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
        var report = new DrillReport { DrillId = id, Stage = _context.Stack.Stage, Cloud = cloud, StartedAt = started };
        var markers = new DrillMarkers(_context, id);
        var log = _context.Log;

        log.Info($"drill {id}: writing a marker into every store");
        var clock = Stopwatch.StartNew();
        report.Markers = await markers.WriteAsync(ct);
        report.Phases.Add(("markers", clock.Elapsed));
        foreach (var m in report.Markers) log.Info($"  {m.Store}: {m.State} {m.Where}{(m.Detail is { } d ? $" — {d}" : "")}");

        log.Info($"drill {id}: teardown");
        var rto = Stopwatch.StartNew();
        clock.Restart();
        await new StageTeardown(session).TeardownAsync(ct);
        report.Phases.Add(("teardown", clock.Elapsed));

        log.Info($"drill {id}: recreate");
        clock.Restart();
        await new StageRecreate(_context).RecreateAsync(ct);
        var url = await ServingAsync(ct);
        report.Phases.Add(("recreate", clock.Elapsed));
        report.Rto = rto.Elapsed;
        log.Info($"drill {id}: serving again at {url} after {rto.Elapsed.TotalSeconds:0.0} s");

        log.Info($"drill {id}: verifying the markers");
        clock.Restart();
        await markers.VerifyAsync(report.Markers, TimeSpan.FromMinutes(_context.IsLocalCloud ? 2 : 10), ct);
        report.Phases.Add(("verify", clock.Elapsed));

        var (json, markdown) = report.Write(reportDirectory);
        foreach (var line in report.Summary()) log.Info(line);
        log.Info($"report: {markdown} and {json}");
        if (report.Lost.Count > 0)
            throw new FleetException($"drill {id} lost {report.Lost.Count} marker(s): {string.Join("; ", report.Lost.Select(m => $"{m.Store} {m.Where} ({m.Detail})"))}; the report is {markdown}.");
        return report;
    }

    /// <summary>The recreated web environment's URL once it answers GET / (recreate already waited for Ready and Green).</summary>
    async Task<string> ServingAsync(CancellationToken ct)
    {
        var env = await new EnvironmentWatch(_context, new ElasticBeanstalkClient(_context.Connection)).DescribeAsync(_context.Stack.Web.Environment, ct)
            ?? throw new FleetException($"drill: eb environment {_context.Stack.Web.Environment} is missing after recreate.");
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
