using Ops.Aws.CloudWatchLogs;
using Ops.Aws.Ecs;
using Ops.Aws.Lookups;
using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Fleet;

namespace Ops.Stack.Rollout;

/// <summary>
/// update-ecs: registers a new task-definition revision (always: the rollout's identity), records it, updates the service
/// with forceNewDeployment, and waits until the new deployment alone runs the desired count. When its tasks fail (circuit
/// breaker, tasks stopping on their own, or the update timeout) it rolls back to the revision the service ran before,
/// waits for that, and fails naming the cause. Resumes an interrupted update or rollback from the record.
/// </summary>
public sealed class WorkerUpdater(RolloutSession session)
{
    readonly StageContext _context = session.Context;
    readonly EcsClient _ecs = new(session.Context.Connection);
    readonly CloudWatchLogsClient _logs = new(session.Context.Connection);

    IStackLog Log => _context.Log;

    string ServiceName => _context.Stack.Ecs.Service;

    /// <summary>Rolls out the new revision (or resumes); returns the completed record (null on a dry run).</summary>
    public Task<RolloutRecord?> UpdateAsync(CancellationToken ct) => session.GuardAsync(RunAsync, ct);

    async Task<RolloutRecord?> RunAsync(CancellationToken ct)
    {
        var tasks = new ServiceTasks(_context, _ecs);
        var newest = await session.NewestAsync(ct);
        var open = newest != null && !RolloutPhase.IsTerminal(newest.Phase);
        var strategy = open ? newest!.Strategy : session.Options.Strategy;
        var action = ResumePlan.ForUpdate(newest, strategy, session.Options.Force);
        if (action == ResumeAction.RefuseNotDrained && _context.DryRun)
            Log.Info("dry run: no drained rollout yet — deploy-worker drains first; update-ecs alone would refuse (kill-ack) until then");
        else if (action == ResumeAction.RefuseNotDrained)
        {
            if (open)
            {
                var pending = newest!.Tasks.Where(t => !t.Value.IsDone).Select(t => t.Key).ToList();
                throw new CloudStateException($"rollout {newest.RolloutId} has not drained ({pending.Count} of {newest.Tasks.Count} task(s) pending: {string.Join(", ", pending)}); " +
                                         "nothing deployed — run shutdown-ecs-workers to finish the drain (deploy-worker runs both), or add --force");
            }
            throw new CloudStateException($"no drained rollout for stage {_context.Stack.Stage}: with kill-ack, update-ecs deploys only after shutdown-ecs-workers has drained the workers; " +
                                     "nothing deployed — run deploy-worker (or shutdown-ecs-workers first), or add --force");
        }
        var service = await tasks.ServiceAsync(ct);

        if (_context.DryRun)
        {
            var image = await session.ImageAsync(ct);
            Log.Info(action switch
            {
                ResumeAction.ContinueUpdate => $"would resume rollout {newest!.RolloutId} (phase updating) and wait for {LiveTask.RevisionOf(newest.ToTaskDefinition)}",
                ResumeAction.FinishRollback => $"would finish the rollback of rollout {newest!.RolloutId} to {LiveTask.RevisionOf(newest.FromTaskDefinition)}",
                _ => $"would register a new revision of {_context.Stack.Ecs.TaskFamily} with image {image.Image} and update service {ServiceName} to it (forceNewDeployment, now on {LiveTask.RevisionOf(service.TaskDefinition)})",
            });
            Log.Info("dry run: nothing registered, updated or written");
            return null;
        }

        RolloutRecord record;
        switch (action)
        {
            case ResumeAction.ContinueUpdate:
                record = newest!;
                Log.Info($"resuming rollout {record.RolloutId} (phase {record.Phase}, started {WorkerDrainer.Clock(record.StartedAt)})");
                var primary = service.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY");
                if (primary != null && primary.TaskDefinition == record.ToTaskDefinition)
                {
                    // The earlier run died after UpdateService but before recording it: the deployment's creation is when it was called.
                    if (record.UpdateCalledAt == null)
                    {
                        record.UpdateCalledAt = primary.CreatedAt ?? DateTimeOffset.UtcNow;
                        await session.SaveAsync(record, ct);
                    }
                    Log.Info($"service {ServiceName} already deploys {LiveTask.RevisionOf(record.ToTaskDefinition)}: waiting for it");
                }
                else if (primary?.TaskDefinition == record.FromTaskDefinition && record.UpdateCalledAt != null && service.Deployments?.Count == 1)
                    return await RollbackAsync(record, $"the deployment of {LiveTask.RevisionOf(record.ToTaskDefinition)} was already rolled back by ECS before this run", ecsRolledBack: true, ct);
                else await CallUpdateAsync(record, ct);
                break;
            case ResumeAction.FinishRollback:
                record = newest!;
                Log.Info($"resuming rollout {record.RolloutId} (phase {record.Phase}, started {WorkerDrainer.Clock(record.StartedAt)}): finishing the rollback to {LiveTask.RevisionOf(record.FromTaskDefinition)}");
                var current = service.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY")?.TaskDefinition;
                return await RollbackAsync(record, record.Cause ?? "an earlier run failed", ecsRolledBack: current == record.FromTaskDefinition, ct);
            default:
                if (action == ResumeAction.Update && open)
                {
                    record = newest!;
                    if (record.Phase == RolloutPhase.Draining)
                    {
                        var pending = record.Tasks.Where(t => !t.Value.IsDone).ToList();
                        foreach (var (_, t) in pending) t.State = TaskDrainState.Forced;
                        record.Forced = true;
                        Log.Warning($"FORCED: updating although rollout {record.RolloutId} has not drained: {pending.Count} task(s) never acknowledged ({string.Join(", ", pending.Select(p => p.Key))})");
                    }
                }
                else
                {
                    record = session.NewRecord(RolloutPhase.Updating, strategy);
                    record.FromTaskDefinition = service.TaskDefinition;
                    if (strategy == DrainStrategy.KillAck)
                    {
                        record.Forced = true;
                        Log.Warning($"FORCED: updating service {ServiceName} without a drain: no worker was asked to stop, so messages in progress may be cut off and delivered again");
                    }
                    else Log.Info($"rollout {record.RolloutId}: task-protection — ECS stops old tasks only once they hold no message");
                }
                var image = await session.ImageAsync(ct);
                var provisioner = new EcsProvisioner(_context);
                var registered = await provisioner.RegisterAsync(provisioner.ContainerDefinition(image), ct);
                record.Phase = RolloutPhase.Updating;
                record.ToTaskDefinition = registered.TaskDefinitionArn;
                record.Image = image.Image;
                await session.SaveAsync(record, ct);
                await CallUpdateAsync(record, ct);
                break;
        }

        var (ok, cause, ecsRolledBack) = await WaitNewAsync(record, tasks, ct);
        if (!ok) return await RollbackAsync(record, cause!, ecsRolledBack, ct);
        record.Phase = RolloutPhase.Completed;
        record.FinishedAt = DateTimeOffset.UtcNow;
        await session.SaveAsync(record, ct);
        if (record.Image != null) await new Lifecycle.DeployedVersions(session.Context).RecordWorkerAsync(record.Image, ct);
        Log.Info($"completed rollout {record.RolloutId}: service {ServiceName} runs {LiveTask.RevisionOf(record.ToTaskDefinition)} " +
                 $"({(record.FinishedAt.Value - (record.UpdateCalledAt ?? record.StartedAt)).TotalSeconds:0.0} s after the update){(record.Forced ? " — FORCED" : "")}");
        return record;
    }

    async Task CallUpdateAsync(RolloutRecord record, CancellationToken ct)
    {
        await _ecs.UpdateServiceAsync(new UpdateServiceRequest
        {
            Cluster = _context.Stack.Ecs.Cluster,
            Service = ServiceName,
            TaskDefinition = record.ToTaskDefinition,
            ForceNewDeployment = true,
        }, ct);
        record.UpdateCalledAt = DateTimeOffset.UtcNow;
        await session.SaveAsync(record, ct);
        var after = record.DrainedAt is { } drained ? $", {(record.UpdateCalledAt.Value - drained).TotalSeconds:0.00} s after the drain" : "";
        Log.Info($"updated service {ServiceName} to {LiveTask.RevisionOf(record.ToTaskDefinition)} (forceNewDeployment{after})");
    }

    /// <summary>The breaker's failure threshold: half the desired count, at least 3, at most 200 — or all of them when fewer run.</summary>
    public static int FailureThreshold(int desired) => Math.Max(1, Math.Min(desired, Math.Min(200, Math.Max(3, (int)Math.Ceiling(desired / 2.0)))));

    /// <summary>Waits for the new deployment; false with the cause when it failed (and whether ECS rolled it back itself).</summary>
    async Task<(bool Ok, string? Cause, bool EcsRolledBack)> WaitNewAsync(RolloutRecord record, ServiceTasks tasks, CancellationToken ct)
    {
        var to = record.ToTaskDefinition!;
        var deadline = DateTimeOffset.UtcNow + session.Options.UpdateTimeout;
        var lastProgress = DateTimeOffset.MinValue;
        string? last = null;
        DateTimeOffset? steadySince = null;
        return await Waiting.PollAsync<(bool, string?, bool)>(session.Options.UpdatePoll, async token =>
        {
            var service = await tasks.ServiceAsync(token);
            var failed = await FailedTasksAsync(to, tasks, token);
            var now = DateTimeOffset.UtcNow;
            var verdict = UpdateVerdict.Of(service, to, record.FromTaskDefinition, failed.Count, now, steadySince, session.Options.Settle, deadline,
                session.Options.UpdateTimeout);
            steadySince = verdict.SteadySince;
            switch (verdict.Outcome)
            {
                case UpdateOutcome.Done:
                    return (true, (true, null, false));
                case UpdateOutcome.Waiting:
                    break;
                default:
                    return (true, (false, await CauseAsync(verdict.What!, to, tasks, token), verdict.Outcome == UpdateOutcome.RolledBackByEcs));
            }
            var (running, desired, threshold) = (verdict.Running, verdict.Desired, verdict.Threshold);
            var deployments = service.Deployments ?? [];
            var old = deployments.Where(d => d.TaskDefinition != to).Sum(d => (d.RunningCount ?? 0) + (d.PendingCount ?? 0));
            var status = $"new rev {WorkerDrainer.Rev(LiveTask.RevisionOf(to))}: {running}/{desired} running, old: {old} task(s) stopping";
            if (status != last || now - lastProgress >= session.Options.ProgressEvery)
            {
                var protectedNote = "";
                if (old > 0 && record.Strategy == DrainStrategy.TaskProtection)
                {
                    var oldTasks = (await tasks.RunningAsync(token)).Where(t => t.TaskDefinitionArn != to).Select(t => t.Id).ToList();
                    var held = await tasks.ProtectedAsync(oldTasks, token);
                    if (held.Count > 0) protectedNote = $"; protected: {string.Join(", ", held.Keys)}";
                }
                Log.Info(status + protectedNote + (failed.Count > 0 ? $"; {failed.Count} failed (rollback at {threshold})" : ""));
                lastProgress = now;
                last = status;
            }
            return (false, default);
        }, ct);
    }

    /// <summary>
    /// Tasks of <paramref name="taskDefinition"/> (the revision this update registered) that stopped on their own, not
    /// stopped by ECS's scheduler or a user.
    /// </summary>
    static async Task<List<LiveTask>> FailedTasksAsync(string taskDefinition, ServiceTasks tasks, CancellationToken ct) =>
        (await tasks.StoppedAsync(ct)).Where(t => t.TaskDefinitionArn == taskDefinition && t.StopCode is not ("ServiceSchedulerInitiated" or "UserInitiated")).ToList();

    /// <summary>The cause with the stopped tasks' reasons and exit codes and the last log lines of one of them.</summary>
    async Task<string> CauseAsync(string what, string taskDefinition, ServiceTasks tasks, CancellationToken ct)
    {
        var failed = await FailedTasksAsync(taskDefinition, tasks, ct);
        if (failed.Count == 0) return what;
        var reasons = failed.Take(3).Select(t => $"task {t.Id}: {t.StoppedReason ?? t.StopCode ?? "stopped"}{(t.ExitCode is { } x ? $" (exit {x})" : "")}");
        var lines = await LastLogLinesAsync(failed[0].Id, ct);
        return $"{what}: {string.Join("; ", reasons)}{(failed.Count > 3 ? $"; and {failed.Count - 3} more" : "")}{(lines.Length > 0 ? $"; last log lines of {failed[0].Id}: {lines}" : "")}";
    }

    async Task<string> LastLogLinesAsync(string taskId, CancellationToken ct)
    {
        try
        {
            var events = (await _logs.GetLogEventsAsync(new GetLogEventsRequest
            {
                LogGroupName = _context.Stack.Ecs.LogGroup,
                LogStreamName = $"{EcsProvisioner.StreamPrefix}/{_context.Stack.Ecs.ContainerName}/{taskId}",
                Limit = 3,
                StartFromHead = false,
            }, ct)).Events ?? [];
            return string.Join(" | ", events.Select(e => e.Message?.TrimEnd()).Where(m => !string.IsNullOrEmpty(m)));
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceNotFoundException"))
        {
            return "";
        }
    }

    async Task<RolloutRecord> RollbackAsync(RolloutRecord record, string cause, bool ecsRolledBack, CancellationToken ct)
    {
        var from = record.FromTaskDefinition ?? throw new CloudStateException($"rollout {record.RolloutId} failed ({cause}) and has no previous task definition to roll back to; fix the worker and run update-ecs again.");
        var target = LiveTask.RevisionOf(from);
        Log.Warning($"rolling back service {ServiceName} to {target}: {cause}");
        record.Phase = RolloutPhase.RollingBack;
        record.Cause = cause;
        await session.SaveAsync(record, ct);
        if (!ecsRolledBack)
            await _ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = _context.Stack.Ecs.Cluster, Service = ServiceName, TaskDefinition = from,
                ForceNewDeployment = true }, ct);
        else Log.Info($"ECS already rolled the service back to {target}: waiting for it");

        var tasks = new ServiceTasks(_context, _ecs);
        var deadline = DateTimeOffset.UtcNow + session.Options.UpdateTimeout;
        string? last = null;
        await Waiting.PollAsync(session.Options.UpdatePoll, async token =>
        {
            var service = await tasks.ServiceAsync(token);
            var deployments = service.Deployments ?? [];
            var primary = deployments.FirstOrDefault(d => d.Status == "PRIMARY");
            var running = primary?.RunningCount ?? 0;
            if (deployments.Count == 1 && primary?.TaskDefinition == from && running == service.DesiredCount) return (true, true);
            var status = $"rollback to {target}: {running}/{service.DesiredCount} running, {deployments.Count - 1} other deployment(s) left";
            if (status != last) Log.Info(status);
            last = status;
            if (DateTimeOffset.UtcNow >= deadline)
                throw new CloudStateException($"the rollback of rollout {record.RolloutId} to {target} did not complete within {WorkerDrainer.Format(session.Options.UpdateTimeout)} ({status}); " +
                                         $"it failed because {cause} — check describe-ecs and run update-ecs again to finish the rollback");
            return (false, false);
        }, ct);
        record.Phase = RolloutPhase.RolledBack;
        record.FinishedAt = DateTimeOffset.UtcNow;
        await session.SaveAsync(record, ct);
        throw new CloudStateException($"rolled back to {target}: {cause}");
    }
}
