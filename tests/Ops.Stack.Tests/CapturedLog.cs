namespace Ops.Stack.Tests;

/// <summary>Keeps what a domain operation reported, for asserting on what the user would read (secrets it was told of redacted, as the build does).</summary>
public sealed class CapturedLog : IStackLog
{
    readonly List<string> _lines = [];
    readonly List<string> _secrets = [];

    public void Info(string message) { lock (_lines) _lines.Add(Hide(message)); }

    public void Warning(string message) { lock (_lines) _lines.Add("WARN " + Hide(message)); }

    public void Data(string text) { lock (_lines) _lines.Add(Hide(text)); }

    public void Redact(string secret) { lock (_lines) if (secret.Length > 0) _secrets.Add(secret); }

    /// <summary>The values the operation asked to hide.</summary>
    public IReadOnlyList<string> Secrets { get { lock (_lines) return _secrets.ToList(); } }

    string Hide(string text) => _secrets.Aggregate(text, (t, s) => t.Replace(s, "****", StringComparison.Ordinal));

    public string Text { get { lock (_lines) return string.Join('\n', _lines); } }

    /// <summary>Each line reported, in order.</summary>
    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }
}
