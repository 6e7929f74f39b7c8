using System.Globalization;
using Ops.Aws.Sqs;

namespace Ops.Worker;

/// <summary>
/// The receive loop: long-polls the work queue, lets control handlers see each message, dispatches the rest to their
/// handler, records each in the worker log, and deletes a message only after its work succeeded.
/// </summary>
internal sealed class WorkerLoop(
    WorkQueue queue,
    WorkerActionRegistry actions,
    WorkerLog log,
    IReadOnlyList<IControlMessageHandler> controls,
    WorkerOutput output,
    WorkerActionContextFactory contexts,
    TimeProvider clock)
{
    /// <summary>Longest status text written to the worker log.</summary>
    const int MaxStatusLength = 1000;

    readonly CancellationTokenSource _stopReceiving = new();
    Exception? _fatal;
    long _succeeded;
    long _failed;

    public long Succeeded => Interlocked.Read(ref _succeeded);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// Runs <paramref name="concurrency"/> receive loops until <paramref name="stopping"/> (each finishes its current message first)
    /// or an error no retry can fix, which is returned (null after a clean stop). <paramref name="aborting"/> abandons messages in progress.
    /// </summary>
    public async Task<Exception?> RunAsync(int concurrency, CancellationToken stopping, CancellationToken aborting)
    {
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stopReceiving.Token);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => ConsumeAsync(receiving.Token, aborting))).ConfigureAwait(false);
        return _fatal;
    }

    async Task ConsumeAsync(CancellationToken receiving, CancellationToken aborting)
    {
        await Task.Yield();
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
            if (message != null) await ProcessAsync(message, aborting).ConfigureAwait(false);
        }
    }

    /// <summary>One received message, start to end; never throws for the message's own faults, only when <paramref name="aborting"/>.</summary>
    internal async Task ProcessAsync(Message message, CancellationToken aborting)
    {
        var started = clock.GetTimestamp();
        await using var extender = VisibilityExtender.Start(queue, message, output, clock);
        var messageId = message.MessageId ?? "?";
        var receiveCount = message.Attributes?.GetValueOrDefault("ApproximateReceiveCount") is { } c
            && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
        var parsed = WorkMessageParser.Parse(message.Body, out var parseError);
        var task = parsed?.Task ?? "unknown";
        var context = contexts.Create(messageId, receiveCount);

        var entry = await StartLogAsync(task, parsed?.Arguments.ToJsonString() ?? Truncate(message.Body ?? "", MaxStatusLength), messageId, aborting).ConfigureAwait(false);

        string status;
        var delete = false;
        ControlDecision? control = null;
        if (parsed == null)
            status = $"error: {parseError}";
        else if ((control = await ControlAsync(parsed, context, aborting).ConfigureAwait(false)) != null)
            (status, delete) = (control.Status, control.Delete);
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

        if (delete)
        {
            try
            {
                await queue.DeleteAsync(message, aborting).ConfigureAwait(false);
            }
            catch (Exception e) when (!aborting.IsCancellationRequested)
            {
                output.Warn($"{task} {messageId}: could not delete it ({TransientErrors.Describe(e)}); it will be delivered again after the visibility timeout");
            }
        }
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
        else if (control == null) Interlocked.Increment(ref _failed);
        var retry = receiveCount > 1 ? $" (receive {receiveCount})" : "";
        output.Info(status == "done"
            ? $"{task} {messageId} done in {elapsed.TotalMilliseconds:0} ms{retry}"
            : $"{task} {messageId} {status} after {elapsed.TotalMilliseconds:0} ms{retry}{(delete ? "" : "; left on the queue")}");
        if (control?.StopReceiving == true) await _stopReceiving.CancelAsync().ConfigureAwait(false);
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

    async Task<ControlDecision?> ControlAsync(WorkMessage message, WorkerActionContext context, CancellationToken aborting)
    {
        foreach (var control in controls)
            if (await control.TryHandleAsync(message, context, aborting).ConfigureAwait(false) is { } decision)
                return decision;
        return null;
    }

    static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
