using Ops.Stack;

namespace Ops.Stack.Tests;

/// <summary>Keeps what a domain operation reported, for asserting on what the user would read.</summary>
public sealed class CapturedLog : IStackLog
{
    readonly List<string> _lines = [];

    public void Info(string message) { lock (_lines) _lines.Add(message); }

    public void Warning(string message) { lock (_lines) _lines.Add("WARN " + message); }

    public void Data(string text) { lock (_lines) _lines.Add(text); }

    public string Text { get { lock (_lines) return string.Join('\n', _lines); } }
}
