using System.Globalization;

namespace Ops.Worker;

/// <summary>The worker's log lines: one per event, prefixed with the UTC time; progress to stdout, problems to stderr.</summary>
internal sealed class WorkerOutput(TextWriter stdout, TextWriter stderr, TimeProvider clock)
{
    readonly object _lock = new();

    /// <summary>A line about normal work (startup, one per message, shutdown).</summary>
    public void Info(string line) => Write(stdout, line);

    /// <summary>A line about a problem the worker handles itself (a retry, a failed write).</summary>
    public void Warn(string line) => Write(stderr, line);

    void Write(TextWriter writer, string line)
    {
        var time = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            writer.WriteLine($"{time} {line}");
            writer.Flush();
        }
    }
}
