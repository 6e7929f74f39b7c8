using System.Collections.Concurrent;
using System.Text;

namespace Ops.LocalCloud.Diagnostics;

/// <summary>One served request: which service and operation, the status sent, how long it took.</summary>
public sealed record LoggedRequest(DateTimeOffset At, string Service, string Operation, int Status, string? ErrorCode, TimeSpan Duration);

/// <summary>Every request the local cloud served (bounded), for API-call counts in tests and a short report.</summary>
public sealed class RequestLog(int capacity = 100_000)
{
    readonly ConcurrentQueue<LoggedRequest> _entries = new();
    int _count; // kept here: a concurrent queue counts by walking its segments, on every request

    public void Add(LoggedRequest entry)
    {
        _entries.Enqueue(entry);
        if (Interlocked.Increment(ref _count) <= capacity) return;
        while (Volatile.Read(ref _count) > capacity && _entries.TryDequeue(out _)) Interlocked.Decrement(ref _count);
    }

    public IReadOnlyList<LoggedRequest> Entries => _entries.ToArray();

    public int Count(string service, string? operation = null) =>
        _entries.Count(e => e.Service == service && (operation == null || e.Operation == operation));

    public void Clear()
    {
        while (_entries.TryDequeue(out _)) Interlocked.Decrement(ref _count);
    }

    /// <summary>Calls per service and operation with status counts and the slowest time, one line each.</summary>
    public string Report()
    {
        var sb = new StringBuilder();
        foreach (var g in _entries.GroupBy(e => (e.Service, e.Operation)).OrderBy(g => g.Key.Service).ThenBy(g => g.Key.Operation))
        {
            var errors = g.Count(e => e.Status >= 400);
            sb.AppendLine($"{g.Key.Service,-18} {g.Key.Operation,-34} {g.Count(),6} call(s) {errors,4} error(s)  max {g.Max(e => e.Duration).TotalMilliseconds,7:0.0} ms");
        }
        return sb.ToString();
    }
}
