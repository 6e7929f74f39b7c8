using System.Diagnostics;
using Ops.Stack;

/// <summary>
/// Where the fleet and image code report while a benchmark drives them: lines are kept with the time since the log was
/// made (so phases can be timed from them), warnings are also printed, and with <c>verbose</c> everything is.
/// </summary>
sealed class BenchStackLog(bool verbose) : IStackLog
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly List<(TimeSpan At, string Line)> _lines = [];

    public IReadOnlyList<(TimeSpan At, string Line)> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    public void Info(string message) => Add(message, verbose);

    public void Warning(string message) => Add("warning: " + message, print: true);

    public void Data(string text) => Add(text, verbose);

    readonly List<string> _secrets = [];

    public void Redact(string secret) { lock (_lines) if (secret.Length > 0) _secrets.Add(secret); }

    /// <summary>When the first line starting with <paramref name="prefix"/> was logged.</summary>
    public TimeSpan? FirstAt(string prefix)
        => Lines.Where(l => l.Line.StartsWith(prefix, StringComparison.Ordinal)).Select(l => (TimeSpan?)l.At).FirstOrDefault();

    void Add(string line, bool print)
    {
        lock (_lines)
        {
            line = _secrets.Aggregate(line, (l, s) => l.Replace(s, "****", StringComparison.Ordinal));
            _lines.Add((_clock.Elapsed, line));
        }
        if (print) Console.WriteLine($"    {line}");
    }
}
