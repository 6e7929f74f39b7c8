using System.Text;

namespace Ops.Targets.Output;

/// <summary>Stands in for Console.Out/Error while a build runs, so plain Console.WriteLine from a target is prefixed and redacted too.</summary>
internal sealed class TargetAwareWriter(BuildConsole console, LogLevel level) : TextWriter
{
    readonly AsyncLocal<StringBuilder?> _pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n') { EndLine(); return; }
        if (value == '\r') return;
        (_pending.Value ??= new StringBuilder()).Append(value);
    }

    public override void Write(string? value)
    {
        if (value == null) return;
        foreach (var c in value) Write(c);
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        EndLine();
    }

    void EndLine()
    {
        var pending = _pending.Value;
        var line = pending?.ToString() ?? "";
        pending?.Clear();
        console.Write(level, line);
    }

    public override void Flush()
    {
        var pending = _pending.Value;
        if (pending == null || pending.Length == 0) return;
        var line = pending.ToString();
        pending.Clear();
        console.Write(level, line);
    }
}
