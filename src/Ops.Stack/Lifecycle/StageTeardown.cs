using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Rollout;

namespace Ops.Stack.Lifecycle;

/// <summary>
/// teardown: drains the workers (under the rollout lease, as shutdown-ecs-workers does), then removes the stage's compute
/// — the Elastic Beanstalk environment, then the ECS service, its task definitions and instances — and keeps every data
/// store, queue, table, bucket, topic, secret, the cluster and the repository. The drain's rollout record ends
/// <c>torn-down</c>. Each step looks at what is left, so a re-run after a partial one finishes the job.
/// </summary>
public sealed class StageTeardown(RolloutSession session, bool announceKept = true)
{
    readonly StageContext _context = session.Context;

    public async Task<IReadOnlyList<Change>> TeardownAsync(CancellationToken ct)
    {
        var stack = _context.Stack;
        var changes = new List<Change>();
        if (await ServiceIsActiveAsync(ct))
        {
            var record = await new WorkerDrainer(session).DrainAsync(ct);
            if (record != null && !_context.DryRun)
            {
                record.Phase = RolloutPhase.TornDown;
                record.FinishedAt = DateTimeOffset.UtcNow;
                await session.SaveAsync(record, ct);
            }
        }
        else
            _context.Log.Info($"service {stack.Ecs.Service}: none running, nothing to drain");

        changes.AddRange(await new WebTerminator(_context).TerminateAsync(ct));
        changes.AddRange(await new FleetTerminator(_context).TerminateAsync(ct));
        if (announceKept)
            _context.Log.Info($"{(_context.DryRun ? "teardown would keep" : "kept")}: RDS {stack.Database.Identifier}, Redshift {stack.Redshift.Cluster} and {stack.TimeSeries.Cluster}, " +
                          $"Redis {stack.Redis.ReplicationGroup}, queues, tables, buckets, topics, secrets, application {stack.Web.Application} and its versions");
        return changes;
    }

    async Task<bool> ServiceIsActiveAsync(CancellationToken ct) => await new FleetTerminator(_context).ServiceAsync(ct) is { DesiredCount: > 0 };
}
