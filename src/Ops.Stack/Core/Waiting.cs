namespace Ops.Stack.Core;

/// <summary>
/// The one way Ops.Stack waits for the cloud: <see cref="PollAsync{T}"/> is the only polling loop (every drain, update,
/// environment and marker wait runs through it), and <see cref="UntilAsync"/> is its common form for a resource that
/// reaches a state (prints each new status, fails after the stage's wait timeout).
/// </summary>
internal static class Waiting
{
    /// <summary>
    /// Runs <paramref name="attempt"/> until it reports done, pausing <paramref name="interval"/> between attempts, and
    /// returns its result. What counts as progress, a timeout or a failure is the attempt's to say: it logs, and it
    /// returns done or throws. Cancellation ends the wait at once.
    /// </summary>
    public static async Task<T> PollAsync<T>(TimeSpan interval, Func<CancellationToken, Task<(bool Done, T Result)>> attempt,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var (done, result) = await attempt(cancellationToken);
            if (done) return result;
            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>
    /// Polls <paramref name="poll"/> every <see cref="StageContext.PollInterval"/> until it reports done; each new status is
    /// printed once with the time waited. After <see cref="StageContext.WaitTimeout"/>, throws a <see cref="CloudStateException"/>
    /// naming what was awaited and the last status.
    /// </summary>
    public static Task UntilAsync(StageContext context, string what, Func<CancellationToken, Task<(bool Done, string Status)>> poll,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        string? last = null;
        return PollAsync(context.PollInterval, async ct =>
        {
            var (done, status) = await poll(ct);
            var waited = DateTimeOffset.UtcNow - started;
            if (status != last)
            {
                context.Log.Info($"  {what}: {status} ({waited.TotalSeconds:0}s)");
                last = status;
            }
            if (!done && waited > context.WaitTimeout)
                throw new CloudStateException($"Timed out after {context.WaitTimeout.TotalSeconds:0}s waiting for {what} (last: {status}); check it with describe-ecs or the AWS console and run the target again.");
            return (done, true);
        }, cancellationToken);
    }
}
