using System.Text.Json.Nodes;
using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Output;
using Ops.Stack.Stores;

namespace Ops.Stack.Status;

/// <summary>status: every resource of the stage in one table (or one JSON document), from read calls only, the sources asked concurrently.</summary>
public sealed class StackStatus(StageContext context)
{
    /// <summary>Every source of rows, in the order the table lists them.</summary>
    public IReadOnlyList<IStatusSource> Sources =>
    [
        new Identity.IamProvisioner(context),
        new SecretsStatus(context),
        new SecurityGroupsProvisioner(context),
        new TopicsProvisioner(context),
        new DryRunStatus(context, "sqs-queue",
            [context.Stack.Queues.Work.Name, context.Stack.Queues.Work.DeadLetterName, context.Stack.Queues.Report.Name,
                context.Stack.Queues.Report.DeadLetterName],
            (f, ct) => new QueueProvisioner(f).EnsureAsync(ct)),
        new DryRunStatus(context, "dynamodb-table", [context.Stack.WorkerLogTable], (f, ct) => new WorkerLogTableProvisioner(f).EnsureAsync(ct)),
        new TablesProvisioner(context),
        new BucketsProvisioner(context),
        new RdsInstanceProvisioner(context),
        new WarehouseProvisioner(context, context.Stack.Redshift),
        new WarehouseProvisioner(context, context.Stack.TimeSeries),
        new RedisProvisioner(context),
        new FirehoseProvisioner(context),
        new Web.WebEnvironmentProvisioner(context),
        new DryRunStatus(context, "ecr-repository", [context.Stack.Repository.Name], (f, ct) => new RepositoryProvisioner(f).EnsureAsync(ct)),
        new FleetStatus(context),
    ];

    /// <summary>All rows, in source order.</summary>
    public async Task<IReadOnlyList<ResourceStatus>> CollectAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(Sources.Select(s => s.StatusAsync(cancellationToken)));
        return results.SelectMany(r => r).ToList();
    }

    /// <summary>Prints the table (or with <paramref name="json"/> the documented JSON) and returns the rows.</summary>
    public async Task<IReadOnlyList<ResourceStatus>> PrintAsync(bool json, CancellationToken cancellationToken)
    {
        var rows = await CollectAsync(cancellationToken);
        if (json)
        {
            context.Log.Data(ResultJson.Line(ToJson(rows)));
            return rows;
        }
        var kind = Math.Max(4, rows.Max(r => r.Kind.Length));
        var name = Math.Max(4, rows.Max(r => r.Name.Length));
        var state = Math.Min(64, Math.Max(5, rows.Max(r => r.State.Length)));
        context.Log.Info($"{"KIND".PadRight(kind)}  {"NAME".PadRight(name)}  {"HEALTH",-7}  {"STATE".PadRight(state)}  DRIFT");
        foreach (var r in rows)
        {
            var health = !r.Exists ? "MISSING" : r.Drift.Count > 0 ? "DRIFT" : r.Healthy ? "ok" : "WAIT";
            var drift = r.Drift.Count switch { 0 => "", 1 => r.Drift[0], var n => $"{r.Drift[0]} (+{n - 1} more)" };
            var shownState = r.State.Length > state ? r.State[..(state - 1)] + "…" : r.State;
            context.Log.Info($"{r.Kind.PadRight(kind)}  {r.Name.PadRight(name)}  {health,-7}  {shownState.PadRight(state)}  {drift}".TrimEnd());
        }
        context.Log.Info($"{rows.Count} resource(s): {rows.Count(r => r.Exists && r.Healthy && r.Drift.Count == 0)} ok, {rows.Count(r => !r.Exists)} missing, {rows.Count(r => r.Exists && r.Drift.Count > 0)} drifted");
        return rows;
    }

    /// <summary>The status result of docs/output.md; ok when every resource exists, is healthy and has no drift.</summary>
    JsonObject ToJson(IReadOnlyList<ResourceStatus> rows)
    {
        var healthy = rows.Count(r => r.Exists && r.Healthy && r.Drift.Count == 0);
        var json = ResultJson.Envelope("status", context, healthy == rows.Count);
        json["generated_at"] = ResultJson.Time(DateTimeOffset.UtcNow);
        json["resources"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
        {
            ["kind"] = r.Kind,
            ["name"] = r.Name,
            ["exists"] = r.Exists,
            ["state"] = r.State,
            ["healthy"] = r.Healthy,
            ["drift"] = new JsonArray(r.Drift.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
        }).ToArray());
        json["summary"] = new JsonObject
        {
            ["total"] = rows.Count,
            ["healthy"] = healthy,
            ["missing"] = rows.Count(r => !r.Exists),
            ["drifted"] = rows.Count(r => r.Exists && r.Drift.Count > 0),
        };
        return json;
    }
}
