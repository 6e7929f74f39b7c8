using Ops.Aws.Sqs;

namespace Ops.Worker;

/// <summary>
/// Keeps a message hidden from other workers while its work runs: every half visibility timeout since it was received,
/// extends its visibility by a full timeout (ChangeMessageVisibility). Stops on dispose, or when SQS refuses.
/// </summary>
internal sealed class VisibilityExtender : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    int _disposed;

    VisibilityExtender(WorkQueue queue, Message message, WorkerOutput output, TimeProvider clock)
    {
        _loop = queue.VisibilityTimeoutSeconds <= 0 ? Task.CompletedTask : RunAsync(queue, message, output, clock, _stop.Token);
    }

    /// <summary>Starts extending; call right after the message was received.</summary>
    public static VisibilityExtender Start(WorkQueue queue, Message message, WorkerOutput output, TimeProvider clock) => new(queue, message, output, clock);

    static async Task RunAsync(WorkQueue queue, Message message, WorkerOutput output, TimeProvider clock, CancellationToken cancellationToken)
    {
        var timeout = queue.VisibilityTimeoutSeconds;
        var period = TimeSpan.FromSeconds(Math.Max(1.0, timeout / 2.0));
        var started = clock.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(period, clock, cancellationToken).ConfigureAwait(false);
                await queue.ExtendVisibilityAsync(message, timeout, cancellationToken).ConfigureAwait(false);
                output.Info($"{message.MessageId} still running after {clock.GetElapsedTime(started).TotalSeconds:0}s: visibility extended by {timeout}s");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            output.Warn($"{message.MessageId}: could not extend its visibility ({TransientErrors.Describe(e)}); another worker may receive it when the visibility timeout ({timeout}s) expires");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
