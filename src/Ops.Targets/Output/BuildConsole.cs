using System.Diagnostics;
using System.Text;

namespace Ops.Targets.Output;

/// <summary>
/// The one writer all build output goes through: redacts secrets, prefixes lines with the target that
/// wrote them, colours and keeps a live progress line on a terminal, and writes plain lines otherwise.
/// </summary>
internal sealed class BuildConsole : IBuildLog, IDisposable
{
    static readonly AsyncLocal<string?> CurrentTarget = new();

    readonly TextWriter _out;
    readonly TextWriter _error;
    readonly bool _outTerminal;
    readonly bool _errorTerminal;
    readonly object _lock = new();
    readonly Dictionary<string, Stopwatch> _running = new();
    Timer? _timer;
    string _progressSummary = "";
    int _prefixWidth;
    bool _progressShown;

    public SecretRedactor Redactor { get; } = new();

    /// <summary>
    /// True when standard output is kept for data (<c>--output json</c>): log lines, the live progress line and the
    /// summary then go to standard error, and standard output holds only what targets wrote with <see cref="Data"/>.
    /// </summary>
    public bool LogsToStandardError { get; set; }

    /// <summary>Where log lines and the progress line go.</summary>
    TextWriter LogWriter => LogsToStandardError ? _error : _out;

    /// <summary>Whether that is a terminal: colours and the live progress line, or plain lines.</summary>
    bool LogTerminal => LogsToStandardError ? _errorTerminal : _outTerminal;

    public BuildConsole(TextWriter output, TextWriter error, bool outTerminal, bool errorTerminal)
    {
        _out = output;
        _error = error;
        _outTerminal = outTerminal;
        _errorTerminal = errorTerminal;
    }

    public bool IsTerminal => LogTerminal;

    /// <summary>Quiet drops informational lines (warnings, errors and raw text such as the summary still show).</summary>
    public Verbosity Verbosity { get; set; } = Verbosity.Normal;

    /// <summary>The target whose body is running on this async flow; its name prefixes every line written from there.</summary>
    public static string? Target
    {
        get => CurrentTarget.Value;
        set => CurrentTarget.Value = value;
    }

    public void SetPrefixWidth(int width) => _prefixWidth = width;

    public void Info(string message) => Write(LogLevel.Info, message);
    public void Warning(string message) => Write(LogLevel.Warning, message);
    public void Error(string message) => Write(LogLevel.Error, message);

    public void Write(LogLevel level, string message) => Write(Target, level, message);

    public void Write(string? target, LogLevel level, string message)
    {
        if (Verbosity == Verbosity.Quiet && level is LogLevel.Info or LogLevel.Success or LogLevel.Header) return;
        var text = Redactor.Redact(message);
        lock (_lock)
        {
            ClearProgress();
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
                LogWriter.WriteLine(Format(target, level, line));
            LogWriter.Flush();
            DrawProgress();
        }
    }

    /// <summary>A usage error: one line on standard error.</summary>
    public void UsageError(string message)
    {
        lock (_lock)
        {
            ClearProgress();
            var text = Text.LongRuns.Shorten(Redactor.Redact(message));
            _error.WriteLine(_errorTerminal ? $"\e[31merror:\e[0m {text}" : $"error: {text}");
            _error.Flush();
        }
    }

    /// <summary>True once a target wrote <see cref="Data"/>: the summary then goes to standard error.</summary>
    public bool WroteData { get; private set; }

    public void Redact(string secret) => Redactor.Add([secret]);

    public void Data(string text)
    {
        WroteData = true;
        WriteRaw(text.EndsWith('\n') ? text : text + "\n");
    }

    /// <summary>The end-of-run summary: on standard output, or standard error once a target wrote data there (or may).</summary>
    public void WriteSummary(string text)
    {
        if (!WroteData && !LogsToStandardError)
        {
            WriteRaw(text);
            return;
        }
        lock (_lock)
        {
            ClearProgress();
            _error.Write(Redactor.Redact(text));
            _error.Flush();
        }
    }

    /// <summary>Raw text (help, plan, summary) written as given, redacted.</summary>
    public void WriteRaw(string text)
    {
        lock (_lock)
        {
            ClearProgress();
            _out.Write(Redactor.Redact(text));
            _out.Flush();
            DrawProgress();
        }
    }

    public string Color(string text, string ansi) => LogTerminal ? $"\e[{ansi}m{text}\e[0m" : text;

    string Format(string? target, LogLevel level, string line)
    {
        if (level is LogLevel.Error or LogLevel.Warning) line = Text.LongRuns.Shorten(line);
        var prefix = target == null ? "" : $"[{target}]".PadRight(Math.Max(_prefixWidth + 2, target.Length + 2)) + "  ";
        if (!LogTerminal)
            return level switch
            {
                LogLevel.Warning => $"{prefix}warning: {line}",
                LogLevel.Error => $"{prefix}error: {line}",
                _ => prefix + line,
            };
        var body = level switch
        {
            LogLevel.Warning => $"\e[33m{line}\e[0m",
            LogLevel.Error => $"\e[31m{line}\e[0m",
            LogLevel.Success => $"\e[32m{line}\e[0m",
            LogLevel.Header => $"\e[1m{line}\e[0m",
            _ => line,
        };
        return (prefix.Length > 0 ? $"\e[36m{prefix}\e[0m" : "") + body;
    }

    // ---- live progress (terminal only) ----

    public void TargetStarted(string target)
    {
        if (!LogTerminal) return;
        lock (_lock)
        {
            _running[target] = Stopwatch.StartNew();
            _timer ??= new Timer(_ => Refresh(), null, 250, 250);
            Refresh();
        }
    }

    public void TargetFinished(string target)
    {
        if (!LogTerminal) return;
        lock (_lock)
        {
            _running.Remove(target);
            Refresh();
        }
    }

    public void SetProgressSummary(string summary)
    {
        lock (_lock) _progressSummary = summary;
    }

    void Refresh()
    {
        lock (_lock)
        {
            ClearProgress();
            DrawProgress();
        }
    }

    void DrawProgress()
    {
        if (!LogTerminal || _running.Count == 0) return;
        var sb = new StringBuilder("\e[2m▶ ");
        sb.Append(string.Join("  ", _running.Select(r => $"{r.Key} {r.Value.Elapsed.TotalSeconds:0}s")));
        if (_progressSummary.Length > 0) sb.Append("  ").Append(_progressSummary);
        sb.Append("\e[0m");
        LogWriter.Write(sb.ToString());
        LogWriter.Flush();
        _progressShown = true;
    }

    void ClearProgress()
    {
        if (!_progressShown) return;
        LogWriter.Write("\r\e[2K");
        _progressShown = false;
    }

    public void StopProgress()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            _running.Clear();
            ClearProgress();
            _out.Flush();
        }
    }

    public void Dispose() => StopProgress();
}
