namespace Ops.Stack.Fleet;

/// <summary>The one polling routine of the fleet targets: polls until done, prints the status when it changes, fails after the timeout.</summary>
internal static class Waiting
{
    /// <summary>
    /// Polls <paramref name="poll"/> until it reports done; each new status is printed once with the time waited.
    /// After <see cref="FleetContext.WaitTimeout"/>, throws a <see cref="FleetException"/> naming what was awaited and the last status.
    /// </summary>
    public static async Task UntilAsync(FleetContext context, string what, Func<CancellationToken, Task<(bool Done, string Status)>> poll, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        string? last = null;
        while (true)
        {
            var (done, status) = await poll(cancellationToken);
            var waited = DateTimeOffset.UtcNow - started;
            if (status != last)
            {
                context.Log.Info($"  {what}: {status} ({waited.TotalSeconds:0}s)");
                last = status;
            }
            if (done) return;
            if (waited > context.WaitTimeout)
                throw new FleetException($"Timed out after {context.WaitTimeout.TotalSeconds:0}s waiting for {what} (last: {status}); check it with describe-ecs or the AWS console and run the target again.");
            await Task.Delay(context.PollInterval, cancellationToken);
        }
    }
}
