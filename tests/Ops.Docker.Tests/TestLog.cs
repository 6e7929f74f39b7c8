using Ops.Stack;

namespace Ops.Docker.Tests;

/// <summary>Captures what the domain reports, as a user would read it.</summary>
internal sealed class TestLog : IStackLog
{
    readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public string Text => string.Join('\n', Lines);

    public void Info(string message) { lock (_lines) _lines.Add(message); }

    public void Warning(string message) { lock (_lines) _lines.Add("warning: " + message); }

    public void Data(string text) { lock (_lines) _lines.Add(text); }

    public void Redact(string secret) => throw new InvalidOperationException("image operations handle no secrets; a call here means one would have been printed");
}
