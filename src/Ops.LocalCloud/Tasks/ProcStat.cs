namespace Ops.LocalCloud.Tasks;

/// <summary>What <c>/proc/&lt;pid&gt;/stat</c> says about a live process: its session and when it started (clock ticks since boot).</summary>
internal sealed record ProcStat(int Pid, int Session, long StartTime)
{
    /// <summary>The process's stat, or null when it is gone (or not readable).</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] == "Z") return null; // a zombie is already dead
            return new ProcStat(pid, int.Parse(fields[3]), long.Parse(fields[19]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Every live process whose session is <paramref name="session"/>.</summary>
    public static IEnumerable<ProcStat> InSession(int session)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Read(pid) is { } stat && stat.Session == session)
                yield return stat;
    }
}
