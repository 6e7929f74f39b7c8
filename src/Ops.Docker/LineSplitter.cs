using System.Text;

namespace Ops.Docker;

/// <summary>Build output arrives in arbitrary pieces: hands it on one complete line at a time.</summary>
internal sealed class LineSplitter(Action<string> output)
{
    readonly StringBuilder _pending = new();

    public void Append(string text)
    {
        foreach (var c in text)
        {
            if (c == '\n') Flush();
            else if (c != '\r') _pending.Append(c);
        }
    }

    public void Line(string line)
    {
        Flush();
        output(line);
    }

    public void Flush()
    {
        if (_pending.Length == 0) return;
        output(_pending.ToString());
        _pending.Clear();
    }
}
