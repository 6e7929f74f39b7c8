using System.Runtime.InteropServices;

namespace Ops.LocalCloud.Tasks;

/// <summary>Signals to processes and process groups (kill(2)); .NET's Process can only kill, not send SIGTERM.</summary>
internal static class PosixSignals
{
    public const int Term = 15;
    public const int Kill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SysKill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to the process group led by <paramref name="leader"/>; false when no such group is left.</summary>
    public static bool SignalGroup(int leader, int signal) => leader > 1 && SysKill(-leader, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process; false when it is gone.</summary>
    public static bool Signal(int pid, int signal) => pid > 1 && SysKill(pid, signal) == 0;
}
