using System.Globalization;
using Ops.Aws.CloudWatchLogs;
using Ops.Aws.Ecs;
using Ops.Aws.Lookups;
using Ops.Aws.Sqs;
using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Fleet;

namespace Ops.Stack.Rollout;

/// <summary>
/// shutdown-ecs-workers: with kill-ack, one kill message per running task of the service, then acknowledgements (ack
/// records, ShutDown-0 worker-log items, stopped tasks) polled every 0.5 s until every task is drained, the drain timeout
/// (report, exit 1, nothing deployed) or --force. With task-protection nothing is sent: it reports the protected tasks.
/// </summary>
public sealed class WorkerDrainer(RolloutSession session)
{
    readonly StageContext _context = session.Context;
    readonly EcsClient _ecs = new(session.Context.Connection);
    readonly SqsClient _sqs = new(session.Context.Connection);
    readonly CloudWatchLogsClient _logs = new(session.Context.Connection);

    IStackLog Log => _context.Log;

    /// <summary>Drains the service (or resumes an interrupted drain); returns the record, drained (null: nothing to record).</summary>
    public Task<RolloutRecord?> DrainAsync(CancellationToken ct) => session.GuardAsync(RunAsync, ct);

    async Task<RolloutRecord?> RunAsync(CancellationToken ct)
    {
        var tasks = new ServiceTasks(_context, _ecs);
        var newest = await session.NewestAsync(ct);
        var action = ResumePlan.ForDrain(newest);
        if (action == ResumeAction.PastDrain)
        {
            Log.Info($"rollout {newest!.RolloutId} is past its drain (phase {newest.Phase}, started {Clock(newest.StartedAt)}); update-ecs continues it");
            return newest;
        }
        var strategy = action == ResumeAction.ContinueDrain ? newest!.Strategy : session.Options.Strategy;
        if (strategy == DrainStrategy.TaskProtection)
        {
            await ReportProtectionAsync(tasks, ct);
            return null;
        }

        var running = await tasks.RunningAsync(ct);
        var service = await tasks.ServiceAsync(ct);
        if (_context.DryRun)
        {
            DryRun(newest, action, running);
            return null;
        }

        RolloutRecord record;
        if (action == ResumeAction.ContinueDrain)
        {
            record = newest!;
            if (session.Options.Strategy != record.Strategy) Log.Warning($"--drain {DrainStrategies.Name(session.Options.Strategy)} ignored: rollout {record.RolloutId} drains with {DrainStrategies.Name(record.Strategy)}");
            Log.Info($"resuming rollout {record.RolloutId} (phase {record.Phase}, started {Clock(record.StartedAt)}): {record.Tasks.Values.Count(t => t.IsDone)} of {record.Tasks.Count} task(s) already drained");
        }
        else
        {
            record = session.NewRecord(RolloutPhase.Draining, DrainStrategy.KillAck);
            record.FromTaskDefinition = service.TaskDefinition;
            Log.Info($"rollout {record.RolloutId}: draining {running.Count} task(s) of service {_context.Stack.Ecs.Service} with kill-ack (timeout {Format(session.Options.DrainTimeout)})");
        }
        // The image update-ecs will pin, resolved now so nothing slow sits between the last acknowledgement and the update.
        await session.ImageAsync(ct);
        await session.SaveAsync(record, ct);
        var queueUrl = await QueueUrlAsync(ct);
        var started = DateTimeOffset.UtcNow;
        var deadline = started + session.Options.DrainTimeout;
        var lastProgress = DateTimeOffset.MinValue;
        var first = true;

        await Waiting.PollAsync(session.Options.DrainPoll, async token =>
        {
            if (!first) running = await tasks.RunningAsync(token);
            // Every task of the service is tracked; one that appeared (ECS replaced a crashed one) gets its own kill message.
            foreach (var t in running.Where(t => !record.Tasks.ContainsKey(t.Id)))
            {
                record.Tasks[t.Id] = new TaskDrain { Revision = t.Revision };
                if (!first) Log.Info($"new task {t.Id} (rev {Rev(t.Revision)}) joined the service during the drain: it gets its own kill message");
            }
            var acks = await session.Store.AcksAsync(record.RolloutId, token);
            var changed = await ReadAcknowledgementsAsync(record, running, tasks, acks, token);
            if (DateTimeOffset.UtcNow < deadline) await SendKillsAsync(record, queueUrl, acks, token);

            var pending = record.Tasks.Where(t => !t.Value.IsDone).ToList();
            if (session.Options.Force && pending.Count > 0)
            {
                foreach (var (id, t) in pending) t.State = TaskDrainState.Forced;
                record.Forced = true;
                var line = $"FORCED: not waiting for {pending.Count} task(s) to acknowledge ({string.Join(", ", pending.Select(p => p.Key))}); they may still hold messages, which return to the queue after their visibility timeout";
                Log.Warning(line);
                changed = true;
                pending.Clear();
            }
            if (changed)
            {
                await session.SaveAsync(record, token);
                Progress(record);
                lastProgress = DateTimeOffset.UtcNow;
            }
            if (pending.Count == 0) return (true, true);
            var now = DateTimeOffset.UtcNow;
            if (now >= deadline)
            {
                await TimeoutReportAsync(record, pending.Select(p => p.Key).ToList(), token);
                record.LastTimeoutAt = now;
                await session.SaveAsync(record, token);
                throw new CloudStateException(
                    $"drain of rollout {record.RolloutId} timed out after {Format(session.Options.DrainTimeout)}: {string.Join(", ", pending.Select(p => p.Key))} did not acknowledge; nothing was deployed — " +
                    "run shutdown-ecs-workers (or deploy-worker) again to keep waiting (it resumes this rollout), or add --force to deploy over them");
            }
            if (now - lastProgress >= session.Options.ProgressEvery)
            {
                Progress(record);
                lastProgress = now;
            }
            first = false;
            return (false, false);
        }, ct);

        record.Phase = RolloutPhase.Drained;
        record.DrainedAt = DateTimeOffset.UtcNow;
        await session.SaveAsync(record, ct);
        Log.Info($"drained: {record.Tasks.Count} task(s) of rollout {record.RolloutId} in {(record.DrainedAt.Value - started).TotalSeconds:0.0} s ({Summary(record)})");
        return record;
    }

    void DryRun(RolloutRecord? newest, ResumeAction action, IReadOnlyList<LiveTask> running)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now + session.Options.DrainTimeout;
        if (action == ResumeAction.ContinueDrain) Log.Info($"would resume rollout {newest!.RolloutId} (phase {newest.Phase}, started {Clock(newest.StartedAt)})");
        var count = 0;
        foreach (var t in running)
        {
            if (newest != null && action == ResumeAction.ContinueDrain && newest.Tasks.TryGetValue(t.Id, out var known) &&
                (known.IsDone || known.KillExpiresAt > now)) continue;
            Log.Info($"would send a kill message to task {t.Id} (rev {Rev(t.Revision)}), expiring {KillMessageFormat.IsoTime(expires)}");
            count++;
        }
        Log.Info($"dry run: {count} kill message(s) not sent, nothing written");
    }

    async Task ReportProtectionAsync(ServiceTasks tasks, CancellationToken ct)
    {
        var running = await tasks.RunningAsync(ct);
        var protectedTasks = await tasks.ProtectedAsync(running.Select(t => t.Id), ct);
        Log.Info($"drain task-protection: no kill messages; ECS stops only unprotected tasks, and update-ecs waits for protected ones");
        await WarnUnprotectedRevisionsAsync(running, ct);
        foreach (var t in running)
            Log.Info(protectedTasks.TryGetValue(t.Id, out var until)
                ? $"protected {t.Id} (rev {Rev(t.Revision)}) until {(until is { } u ? Clock(u) : "?")}: it holds a message"
                : $"idle {t.Id} (rev {Rev(t.Revision)}): not protected");
        Log.Info($"{protectedTasks.Count} of {running.Count} task(s) protected now");
    }

    /// <summary>
    /// Workers of a revision whose OPS_DRAIN is not task-protection never take protection: ECS may stop one holding a message,
    /// which then comes back after its visibility timeout (delivered again, not lost). Said before anything is stopped.
    /// </summary>
    async Task WarnUnprotectedRevisionsAsync(IReadOnlyList<LiveTask> running, CancellationToken ct)
    {
        var protection = DrainStrategies.Name(DrainStrategy.TaskProtection);
        foreach (var revision in running.Select(t => t.Revision).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var definition = (await _ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = revision }, ct)).TaskDefinition;
            var drain = definition?.ContainerDefinitions?.SelectMany(c => c.Environment ?? []).FirstOrDefault(e => e.Name == "OPS_DRAIN")?.Value;
            if (drain == protection) continue;
            Log.Warning($"tasks of {Rev(revision)} run with OPS_DRAIN={drain ?? "(unset)"} and take no task protection: ECS may stop one while it "
                + "holds a message, which comes back after its visibility timeout (delivered again, never lost). For a drain that waits for "
                + "them, use --drain kill-ack: they answer kill messages whatever OPS_DRAIN says.");
        }
    }

    async Task<string> QueueUrlAsync(CancellationToken ct)
    {
        var name = _context.Stack.Queues.Work.Name;
        return await SqsLookup.QueueUrlAsync(_sqs, name, ct)
            ?? throw new CloudStateException($"work queue {name} does not exist, so no kill message can reach the workers; run create-queues (create-ecs does) first.");
    }

    /// <summary>How long a task whose kill message another worker took waits on the messages left before it gets its own again.</summary>
    static readonly TimeSpan PassedOverGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends a kill message to each task <see cref="KillPlan"/> says is due (none yet, expired, or passed over); the record
    /// names the message before and after.
    /// </summary>
    async Task SendKillsAsync(RolloutRecord record, string queueUrl, IReadOnlyList<AckSeen> acks, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var taken = acks.Where(a => a.KillMessageId != null).GroupBy(a => a.KillMessageId!).ToDictionary(g => g.Key, g => g.Min(a => a.AckedAt));
        var due = KillPlan.Due(record.Tasks, taken, now, PassedOverGrace).Select(id => KeyValuePair.Create(id, record.Tasks[id])).ToList();
        if (due.Count == 0) return;
        foreach (var (id, t) in due.Where(d => d.Value.KillMessageId is { } m && taken.ContainsKey(m)))
            Log.Info($"kill message {t.KillMessageId} of task {id} was taken by another worker of its revision: {id} gets another");
        var expires = now + session.Options.DrainTimeout;
        foreach (var (_, t) in due)
        {
            t.KillSentAt = now;
            t.KillExpiresAt = expires;
            t.KillMessageId = null;
        }
        await session.SaveAsync(record, ct);
        foreach (var chunk in due.Chunk(10))
        {
            var entries = chunk.Select((t, i) => new SendMessageBatchRequestEntry
            {
                Id = i.ToString(CultureInfo.InvariantCulture),
                MessageBody = KillMessageFormat.Body(record.RolloutId, t.Key, t.Value.Revision, now, expires, _context.Stack.Rollout.Table),
            }).ToList();
            var result = await _sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = entries }, ct);
            if (result.Failed is { Count: > 0 } failed)
                throw new CloudStateException($"the work queue refused {failed.Count} kill message(s) ({failed[0].Code}: {failed[0].Message}); run shutdown-ecs-workers again (it resumes and resends only those)");
            foreach (var ok in result.Successful ?? [])
            {
                var (id, t) = chunk[int.Parse(ok.Id!, CultureInfo.InvariantCulture)];
                t.KillMessageId = ok.MessageId;
                Log.Info($"sent kill message {ok.MessageId} to task {id} (rev {Rev(t.Revision)}), expiring {KillMessageFormat.IsoTime(expires)}");
            }
        }
        await session.SaveAsync(record, ct);
    }

    /// <summary>Marks pending tasks acknowledged (ack record, worker log) or stopped; true when any changed.</summary>
    async Task<bool> ReadAcknowledgementsAsync(RolloutRecord record, IReadOnlyList<LiveTask> running, ServiceTasks tasks, IReadOnlyList<AckSeen> acks,
        CancellationToken ct)
    {
        var pending = record.Tasks.Where(t => !t.Value.IsDone).OrderBy(t => t.Value.KillSentAt).Select(t => t.Key).ToList();
        if (pending.Count == 0) return false;
        var items = await session.Store.ShutDownsAsync(record.StartedAt, ct);
        var used = record.Tasks.Values.Select(t => t.AckItem).OfType<string>().ToHashSet();
        var changed = false;
        foreach (var a in AckAttribution.Attribute(pending, record.Tasks.Keys.ToHashSet(), used, acks, items))
        {
            var t = record.Tasks[a.TaskId];
            t.State = TaskDrainState.Acknowledged;
            t.AckedAt = a.At;
            t.AckSource = a.Source;
            t.AckItem = a.Item;
            changed = true;
            var after = t.KillSentAt is { } sent ? $" after {Math.Max(0, (a.At - sent).TotalSeconds):0.0} s" : "";
            Log.Info(a.Legacy
                ? $"acknowledged {a.TaskId} (rev {Rev(t.Revision)}){after} via worker-log: an old worker ({a.Server ?? "no server"}) that does not name its task drained; counted for this pending task"
                : $"acknowledged {a.TaskId} (rev {Rev(t.Revision)}){after} via {a.Source}");
        }
        var live = running.Select(t => t.Id).ToHashSet();
        var gone = record.Tasks.Where(t => !t.Value.IsDone && !live.Contains(t.Key)).Select(t => t.Key).ToList();
        if (gone.Count > 0)
        {
            var described = (await tasks.DescribeAsync(gone, ct)).ToDictionary(t => t.Id);
            foreach (var id in gone)
            {
                if (described.TryGetValue(id, out var d) && d.LastStatus != "STOPPED") continue;
                var t = record.Tasks[id];
                t.State = TaskDrainState.Stopped;
                t.AckedAt = DateTimeOffset.UtcNow;
                t.AckSource = "stopped";
                changed = true;
                Log.Info($"stopped {id} (rev {Rev(t.Revision)}): counts as drained{(d?.StoppedReason is { } why ? $" ({why})" : "")}");
            }
        }
        return changed;
    }

    void Progress(RolloutRecord record)
    {
        var done = record.Tasks.Values.Count(t => t.IsDone);
        var now = DateTimeOffset.UtcNow;
        var pending = record.Tasks.Where(t => !t.Value.IsDone).Select(t => $"{t.Key} ({(t.Value.KillSentAt is { } s ? (now - s).TotalSeconds : 0):0} s)").ToList();
        Log.Info($"acknowledged {done}/{record.Tasks.Count}{(pending.Count > 0 ? "; pending: " + string.Join(", ", pending) : "")}");
    }

    async Task TimeoutReportAsync(RolloutRecord record, IReadOnlyList<string> pending, CancellationToken ct)
    {
        Log.Warning($"drain timed out after {Format(session.Options.DrainTimeout)}: {pending.Count} of {record.Tasks.Count} task(s) did not acknowledge; nothing was deployed");
        var seen = await session.Store.LastWorkerLogAsync(pending, ct);
        foreach (var id in pending)
        {
            var t = record.Tasks[id];
            var line = await LastLogLineAsync(id, ct);
            Log.Warning($"  not drained: {id} (rev {Rev(t.Revision)}) kill message {t.KillMessageId ?? "-"} sent {(t.KillSentAt is { } s ? Clock(s) : "-")}; " +
                        $"last worker-log item: {(seen.TryGetValue(id, out var item) ? item : "none")}; last log line: {line}");
        }
    }

    async Task<string> LastLogLineAsync(string taskId, CancellationToken ct)
    {
        var stream = $"{EcsProvisioner.StreamPrefix}/{_context.Stack.Ecs.ContainerName}/{taskId}";
        try
        {
            var events = (await _logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = _context.Stack.Ecs.LogGroup, LogStreamName = stream, Limit = 1,
                StartFromHead = false }, ct)).Events;
            return events is { Count: > 0 } e ? $"\"{e[^1].Message?.TrimEnd()}\"" : $"none (log stream {stream} is empty)";
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceNotFoundException"))
        {
            return $"none (no log stream {stream})";
        }
    }

    internal static string Summary(RolloutRecord record) =>
        string.Join(", ", record.Tasks.Values.GroupBy(t => t.AckSource ?? t.State).Select(g => $"{g.Count()} {g.Key}"));

    internal static string Rev(string revision) => revision.Split(':')[^1];

    internal static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Format(TimeSpan span) =>
        span.TotalSeconds >= 60 && span.TotalSeconds % 60 == 0 ? $"{span.TotalMinutes:0}m" : $"{span.TotalSeconds:0.#}s";
}
