namespace Ops.Worker;

/// <summary>
/// Calls an AWS operation again after transient faults, with exponential backoff and jitter, logging each retry;
/// other errors, and the last transient one when the attempts run out, reach the caller.
/// </summary>
internal sealed class RetryPolicy(WorkerOutput output, TimeProvider clock)
{
    /// <summary>The first wait; each later one doubles, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="call"/> up to <paramref name="attempts"/> times (null: until it succeeds or the token is cancelled).</summary>
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, int? attempts, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (TransientErrors.IsTransient(e, cancellationToken) && (attempts == null || attempt < attempts))
            {
                var delay = Delay(attempt);
                output.Warn($"{what} failed ({TransientErrors.Describe(e)}); retrying in {delay.TotalSeconds:0.0}s (attempt {attempt + 1}{(attempts is { } n ? $" of {n}" : "")})");
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="RunAsync{T}"/> for calls without a result.</summary>
    public Task RunAsync(string what, Func<CancellationToken, Task> call, int? attempts, CancellationToken cancellationToken) =>
        RunAsync<bool>(what, async ct => { await call(ct).ConfigureAwait(false); return true; }, attempts, cancellationToken);

    TimeSpan Delay(int attempt)
    {
        var exponential = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        // Full jitter over the upper half: workers that failed together do not retry together.
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }
}
