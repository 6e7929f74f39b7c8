namespace Ops.Stack.Core;

/// <summary>
/// One read shared by every caller of a run until it is forgotten: the first caller starts it, later callers await the
/// same task. A read that failed or was cancelled is not kept (the next caller reads again), and a caller whose own
/// token was not cancelled reads again when the read it awaited was cancelled by another caller's (an assured target
/// goes on after the first Ctrl+C that stops the others).
/// </summary>
internal sealed class ReadOnce<T>
{
    /// <summary>How many times a caller starts the read again after another caller's cancellation ended it.</summary>
    const int Restarts = 3;

    readonly Lock _lock = new();
    Task<T>? _read;

    /// <summary>The shared read, started with <paramref name="read"/> when none is held.</summary>
    public async Task<T> GetAsync(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            Task<T> shared;
            lock (_lock)
                shared = _read is { IsFaulted: false, IsCanceled: false } ? _read : _read = read();
            try
            {
                return await shared.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (shared.IsCanceled && !cancellationToken.IsCancellationRequested && attempt < Restarts)
            {
            }
        }
    }

    /// <summary>Drops the held read: what it saw may have changed.</summary>
    public void Forget()
    {
        lock (_lock) _read = null;
    }
}
