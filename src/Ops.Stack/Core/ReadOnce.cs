namespace Ops.Stack.Core;

/// <summary>
/// One read shared by every caller of a run until it is forgotten: the first caller starts it, later callers await the
/// same task. A read that failed or was cancelled is not kept (the next caller reads again).
/// </summary>
internal sealed class ReadOnce<T>
{
    readonly Lock _lock = new();
    Task<T>? _read;

    /// <summary>The shared read, started with <paramref name="read"/> when none is held.</summary>
    public Task<T> GetAsync(Func<Task<T>> read)
    {
        lock (_lock)
        {
            if (_read is { IsFaulted: false, IsCanceled: false }) return _read;
            return _read = read();
        }
    }

    /// <summary>Drops the held read: what it saw may have changed.</summary>
    public void Forget()
    {
        lock (_lock) _read = null;
    }
}
