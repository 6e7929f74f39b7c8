using System.Globalization;
using Ops.Aws.Sqs;
using Ops.Contracts;

namespace Ops.Worker;

/// <summary>
/// The receive loop: long-polls the work queue, lets control handlers take over kill messages, dispatches the rest to their
/// handler, records each in the worker log, and deletes a message only after its work succeeded. A drain (a kill message
/// for this task) stops every loop for good: the messages held are finished, the drain recorded, then the worker idles.
/// </summary>
internal sealed class WorkerLoop(
    WorkQueue queue,
    WorkerActionRegistry actions,
    WorkerLog log,
    IReadOnlyList<IControlMessageHandler> controls,
    TaskProtection protection,
    AckRecord ack,
    WorkerOutput output,
    WorkerActionContextFactory contexts,
    TimeProvider clock)
{
    /// <summary>Longest status text written to the worker log.</summary>
    const int MaxStatusLength = 1000;

    readonly CancellationTokenSource _stopReceiving = new();
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>How often this worker has put back each message that was not its own (bounded; see <see cref="PutBackAsync"/>).</summary>
    readonly Dictionary<string, int> _putBack = [];
    Task[] _consumers = [];
    CancellationToken _stopping;
    Exception? _fatal;
    long _succeeded;
    long _failed;
    int _held;
    int _draining;
    int _drained;

    public long Succeeded => Interlocked.Read(ref _succeeded);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>True once a kill message for this worker was answered: it never receives again.</summary>
    public bool Drained => Volatile.Read(ref _drained) == 1;

    /// <summary>
    /// Runs <paramref name="concurrency"/> receive loops until <paramref name="stopping"/> (each finishes its current message first)
    /// or an error no retry can fix, which is returned (null after a clean stop). After a drain it returns only at
    /// <paramref name="stopping"/>. <paramref name="aborting"/> abandons messages in progress.
    /// </summary>
    public async Task<Exception?> RunAsync(int concurrency, CancellationToken stopping, CancellationToken aborting)
    {
        _stopping = stopping;
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stopReceiving.Token);
        _consumers = Enumerable.Range(0, concurrency).Select(i => ConsumeAsync(i, receiving.Token, aborting)).ToArray();
        _started.SetResult();
        await Task.WhenAll(_consumers).ConfigureAwait(false);
        if (Volatile.Read(ref _draining) == 1 && !stopping.IsCancellationRequested)
        {
            // Never receive again: ECS would replace an exited task with one of the old revision, which would take work.
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, clock, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }
        return _fatal;
    }

    async Task ConsumeAsync(int consumer, CancellationToken receiving, CancellationToken aborting)
    {
        await _started.Task.ConfigureAwait(false);
        while (!receiving.IsCancellationRequested)
        {
            Message? message;
            try
            {
                message = await queue.ReceiveAsync(receiving).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (receiving.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not transient (access denied, the queue deleted): stop every loop after its current message and report it.
                Interlocked.CompareExchange(ref _fatal, e, null);
                await _stopReceiving.CancelAsync().ConfigureAwait(false);
                return;
            }
            if (message == null) continue;
            Interlocked.Increment(ref _held);
            await protection.HoldAsync(aborting).ConfigureAwait(false);
            try
            {
                if (receiving.IsCancellationRequested)
                {
                    // SIGTERM (or a drain) arrived while this receive or the protection call was in flight: the message is
                    // not started; it goes back for another worker at once.
                    await queue.PutBackAsync(message, 0, aborting).ConfigureAwait(false);
                    output.Info($"put back {message.MessageId}: received as the worker was told to stop");
                }
                else
                    await ProcessAsync(message, consumer, aborting).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
            await protection.ReleaseAsync(aborting).ConfigureAwait(false);
        }
    }

    /// <summary>One received message, start to end; never throws for the message's own faults, only when <paramref name="aborting"/>.</summary>
    internal async Task ProcessAsync(Message message, int consumer, CancellationToken aborting)
    {
        var started = clock.GetTimestamp();
        await using var extender = VisibilityExtender.Start(queue, message, output, clock);
        var messageId = message.MessageId ?? "?";
        var receiveCount = message.Attributes?.GetValueOrDefault("ApproximateReceiveCount") is { } c
            && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
        var parsed = WorkMessageParser.Parse(message.Body, out var parseError);
        if (parsed != null && Control(parsed, messageId) is { } control)
        {
            await ControlAsync(message, control, consumer, started, extender, aborting).ConfigureAwait(false);
            return;
        }
        var task = parsed?.Task ?? "unknown";
        var context = contexts.Create(messageId, receiveCount);

        var entry = await StartLogAsync(task, parsed?.Arguments.ToJsonString() ?? Truncate(message.Body ?? "", MaxStatusLength), messageId,
            aborting).ConfigureAwait(false);

        string status;
        var delete = false;
        if (parsed == null)
            status = $"error: {parseError}";
        else if (actions.Find(parsed) is not { } action)
            status = $"error: no handler for {task}; this worker handles {string.Join(", ", actions.Names)}";
        else
        {
            try
            {
                await action.RunAsync(parsed.Arguments, context, aborting).ConfigureAwait(false);
                (status, delete) = ("done", true);
            }
            catch (OperationCanceledException) when (aborting.IsCancellationRequested)
            {
                throw;
            }
            catch (WorkerActionException e)
            {
                status = $"error: {e.Message}";
            }
            catch (Exception e)
            {
                status = $"error: {e.GetType().Name}: {e.Message}";
            }
        }
        await extender.DisposeAsync().ConfigureAwait(false);
        var elapsed = clock.GetElapsedTime(started);

        if (delete) await DeleteAsync(message, task, aborting).ConfigureAwait(false);
        status = Truncate(status.ReplaceLineEndings(" "), MaxStatusLength);
        if (entry != null)
        {
            try
            {
                await log.FinishAsync(entry, status, elapsed, aborting).ConfigureAwait(false);
            }
            catch (Exception e) when (!aborting.IsCancellationRequested)
            {
                output.Warn($"{task} {messageId}: could not record '{status}' in the worker log {log.Table} ({TransientErrors.Describe(e)})");
            }
        }
        if (status == "done") Interlocked.Increment(ref _succeeded);
        else Interlocked.Increment(ref _failed);
        var retry = receiveCount > 1 ? $" (receive {receiveCount})" : "";
        output.Info(status == "done"
            ? $"{task} {messageId} done in {elapsed.TotalMilliseconds:0} ms{retry}"
            : $"{task} {messageId} {status} after {elapsed.TotalMilliseconds:0} ms{retry}{(delete ? "" : "; left on the queue")}");
    }

    /// <summary>A control message: no worker-log item of its own, not counted as work.</summary>
    async Task ControlAsync(Message message, ControlDecision control, int consumer, long started, VisibilityExtender extender, CancellationToken aborting)
    {
        var messageId = message.MessageId ?? "?";
        switch (control.Action)
        {
            case ControlAction.Delete:
                await extender.DisposeAsync().ConfigureAwait(false);
                output.Info(control.Line);
                await DeleteAsync(message, KillMessageFormat.Task, aborting).ConfigureAwait(false);
                return;
            case ControlAction.PutBack:
                await extender.DisposeAsync().ConfigureAwait(false);
                await PutBackAsync(message, control.Line, aborting).ConfigureAwait(false);
                return;
            case ControlAction.Drain when Interlocked.CompareExchange(ref _draining, 1, 0) != 0:
                // A duplicate for this task, received by another loop while the first one drains: leave it to circulate until it expires.
                await extender.DisposeAsync().ConfigureAwait(false);
                await PutBackAsync(message, $"ignored kill message {messageId} (this worker is already draining; put back)", aborting).ConfigureAwait(false);
                return;
            case ControlAction.Drain:
                await DrainAsync(message, control, consumer, started, extender, aborting).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>The drain protocol's rule 5: stop receiving, finish what is held, write ShutDown-0 and the acknowledgement, delete the kill message.</summary>
    async Task DrainAsync(Message message, ControlDecision control, int consumer, long started, VisibilityExtender extender, CancellationToken aborting)
    {
        var kill = control.Kill!;
        var messageId = message.MessageId ?? "?";
        var finishedBefore = Succeeded + Failed;
        var rollout = kill.RolloutId is { } id ? $"rollout {id}" : "old-style, no rollout id";
        output.Info($"drain: {control.Line} for {contexts.Server} ({rollout}) — finishing {Volatile.Read(ref _held) - 1} message(s)");
        await _stopReceiving.CancelAsync().ConfigureAwait(false);
        // The other loops finish their current message and leave; the kill message stays hidden meanwhile (the extender).
        await Task.WhenAll(_consumers.Where((_, i) => i != consumer)).ConfigureAwait(false);
        var finished = (int)(Succeeded + Failed - finishedBefore);

        try
        {
            await log.WriteShutDownAsync(kill.Arguments.ToJsonString(), clock.GetElapsedTime(started), messageId, aborting).ConfigureAwait(false);
        }
        catch (Exception e) when (!aborting.IsCancellationRequested)
        {
            output.Warn($"drain: could not write the ShutDown-0 item to the worker log {log.Table} ({TransientErrors.Describe(e)})" +
                        (control.Acknowledge ? "; the acknowledgement record still tells the rollout" : ""));
        }
        if (control.Acknowledge && !await ack.WriteAsync(kill, messageId, finished, _stopping).ConfigureAwait(false))
        {
            // Stopped first: the task is going away, which the rollout counts as drained; the kill message comes back and expires.
            await extender.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _drained, 1);
            return;
        }
        var elapsed = clock.GetElapsedTime(started);
        await extender.DisposeAsync().ConfigureAwait(false);
        await DeleteAsync(message, KillMessageFormat.Task, aborting).ConfigureAwait(false);
        Volatile.Write(ref _drained, 1);
        output.Info(control.Acknowledge
            ? $"drain: acknowledged {rollout} after {elapsed.TotalSeconds:0.0} s ({finished} message(s) finished); idle until stopped"
            : $"drain: recorded ShutDown-0 for the {rollout} kill message after {elapsed.TotalSeconds:0.0} s ({finished} message(s) finished); idle until stopped");
    }

    async Task PutBackAsync(Message message, string line, CancellationToken aborting)
    {
        // One line per message: a kill message for another task may come back to this worker many times before its target
        // takes it. The first put-back makes it visible at once; when the same message comes back to this worker again it
        // is hidden for 1 s, then 2, 4, 8 s: a queue that serves the oldest message first (LocalCloud) would otherwise hand
        // it straight back and starve the work behind it.
        int times;
        lock (_putBack)
        {
            if (_putBack.Count >= 10_000) _putBack.Clear();
            var id = message.MessageId ?? "?";
            _putBack[id] = times = _putBack.GetValueOrDefault(id) + 1;
        }
        var first = times == 1;
        // 0 or 1 s more at random: two workers holding each other's message must not stay in step (a queue that serves the
        // oldest first would hand each the other's message every time they poll together).
        var hideSeconds = first ? 0 : (1 << Math.Min(times - 2, 3)) + Random.Shared.Next(2);
        try
        {
            var copied = await queue.PutBackAsync(message, hideSeconds, aborting).ConfigureAwait(false);
            if (first || copied) output.Info(copied ? $"{line}; sent as a fresh copy, its receive count was near the dead-letter limit" : line);
        }
        catch (Exception e) when (!aborting.IsCancellationRequested)
        {
            output.Warn($"{line}: could not put it back ({TransientErrors.Describe(e)}); it becomes visible again after the visibility timeout ({queue.VisibilityTimeoutSeconds}s)");
        }
    }

    async Task DeleteAsync(Message message, string task, CancellationToken aborting)
    {
        try
        {
            await queue.DeleteAsync(message, aborting).ConfigureAwait(false);
        }
        catch (Exception e) when (!aborting.IsCancellationRequested)
        {
            output.Warn($"{task} {message.MessageId}: could not delete it ({TransientErrors.Describe(e)}); it will be delivered again after the visibility timeout");
        }
    }

    async Task<WorkerLogEntry?> StartLogAsync(string task, string arguments, string messageId, CancellationToken aborting)
    {
        try
        {
            return await log.StartAsync(task, arguments, messageId, aborting).ConfigureAwait(false);
        }
        catch (Exception e) when (!aborting.IsCancellationRequested)
        {
            output.Warn($"{task} {messageId}: could not write the worker log {log.Table} ({TransientErrors.Describe(e)}); working on the message anyway");
            return null;
        }
    }

    ControlDecision? Control(WorkMessage message, string messageId)
    {
        foreach (var control in controls)
            if (control.TryHandle(message, messageId) is { } decision)
                return decision;
        return null;
    }

    static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
