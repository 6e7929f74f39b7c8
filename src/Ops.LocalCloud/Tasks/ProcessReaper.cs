namespace Ops.LocalCloud.Tasks;

/// <summary>
/// Kills task processes a previous local cloud left behind (it died by <c>kill -9</c> and could not stop them): for each
/// pid file, every process of that task's session that started no earlier than its leader, so a pid the system has
/// since reused for something else is never hit. SIGTERM first, SIGKILL after a short grace.
/// </summary>
internal static class ProcessReaper
{
    /// <summary>Reaps what the pid files in <paramref name="directory"/> name and removes the files; returns how many processes were signalled.</summary>
    public static async Task<int> ReapAsync(string directory, TimeSpan grace, CancellationToken cancellationToken)
    {
        var victims = new List<ProcStat>();
        foreach (var (path, file) in TaskPidFile.All(directory).ToList())
        {
            if (file != null && !Reused(file))
            {
                var members = ProcStat.InSession(file.Pid).Where(p => p.StartTime >= file.StartTime).ToList();
                victims.AddRange(members);
                // A server with a clean stop of its own (postgres's fast shutdown) gets it; its children follow it.
                if (file.Signal != 0) PosixSignals.Signal(file.Pid, file.Signal);
                else foreach (var m in members) PosixSignals.Signal(m.Pid, PosixSignals.Term);
            }
            File.Delete(path);
        }
        if (victims.Count == 0) return 0;
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && victims.Any(Alive)) await Task.Delay(50, cancellationToken);
        foreach (var v in victims.Where(Alive)) PosixSignals.Signal(v.Pid, PosixSignals.Kill);
        return victims.Count;
    }

    /// <summary>
    /// The recorded pid now belongs to another process (a different start time): the session is someone else's. While
    /// any member of our session lives, Linux does not hand its id out again, so a gone leader leaves only our members.
    /// </summary>
    static bool Reused(TaskPidFile file) => ProcStat.Read(file.Pid) is { } leader && leader.StartTime != file.StartTime;

    static bool Alive(ProcStat p) => ProcStat.Read(p.Pid) is { } now && now.StartTime == p.StartTime;
}
