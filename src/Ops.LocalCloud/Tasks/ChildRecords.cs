namespace Ops.LocalCloud.Tasks;

/// <summary>
/// Pid records of the local cloud's long-running children besides tasks (postgres, redis-server, web processes), one
/// file each under <c>&lt;state&gt;/pids/</c> with the process's start time and the signal that stops it cleanly. A local
/// cloud that died by <c>kill -9</c> could not stop them; the next start reaps exactly those (never a process that only
/// reuses a recorded pid) before it starts anything of its own.
/// </summary>
internal sealed class ChildRecords(string directory)
{
    /// <summary>The records of a state directory.</summary>
    public static ChildRecords In(string stateDirectory) => new(Path.Combine(stateDirectory, "pids"));

    /// <summary>Records <paramref name="pid"/> (a session leader: started through setsid) as <paramref name="name"/>.</summary>
    public void Started(string name, int pid, int stopSignal) =>
        new TaskPidFile(pid, ProcStat.Read(pid)?.StartTime ?? 0, Safe(name), "child") { Signal = stopSignal }.Write(directory);

    /// <summary>Forgets <paramref name="name"/> once its process has exited.</summary>
    public void Stopped(string name) => new TaskPidFile(0, 0, Safe(name), "child").Delete(directory);

    /// <summary>Stops what a previous run left recorded: its own stop signal first, SIGKILL to its session after the grace.</summary>
    public Task<int> ReapAsync(CancellationToken cancellationToken) => ProcessReaper.ReapAsync(directory, TimeSpan.FromSeconds(10), cancellationToken);

    static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
}
