using System.ComponentModel;
using System.Diagnostics;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// One container of a task as a host process in a session (and process group) of its own, started through
/// <c>setsid</c>, so a stop reaches everything it started. Its output lines go to its log shipper, if any.
/// </summary>
internal sealed class ContainerProcess : IDisposable
{
    readonly Process _process;
    readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; }
    public bool Essential { get; }
    public TimeSpan StopTimeout { get; }
    public int Pid { get; }
    public TaskLogShipper? Logs { get; }

    /// <summary>Completes when the process itself has exited (not waiting for what it left behind to close its output).</summary>
    public Task Exited => _exited.Task;

    public int ExitCode => _process.ExitCode;

    ContainerProcess(ContainerLaunch launch, bool essential, TimeSpan stopTimeout, TaskLogShipper? logs, Action<string, bool>? onLine)
    {
        (Name, Essential, StopTimeout, Logs) = (launch.Name, essential, stopTimeout, logs);
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = launch.WorkingDirectory,
        };
        info.ArgumentList.Add("--");
        foreach (var a in launch.Argv) info.ArgumentList.Add(a);
        info.Environment.Clear();
        foreach (var (k, v) in launch.Environment) info.Environment[k] = v;
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) { Logs?.Add(e.Data); onLine?.Invoke(e.Data, false); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) { Logs?.Add(e.Data); onLine?.Invoke(e.Data, true); } };
        _process.Exited += (_, _) => _exited.TrySetResult();
        try
        {
            _process.Start();
        }
        catch (Win32Exception e)
        {
            _process.Dispose();
            throw new TaskStartException($"CannotStartContainerError: container {launch.Name} could not start: {e.Message}", e);
        }
        Pid = _process.Id;
        _process.StandardInput.Close(); // a container without a TTY reads end-of-file
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Starts <paramref name="launch"/>; argv[0] must be a file, or a name found on the launch's PATH. Each output line
    /// goes to <paramref name="logs"/> and <paramref name="onLine"/> with whether it came from stderr (Elastic Beanstalk's web processes keep a log file).
    /// </summary>
    public static ContainerProcess Start(ContainerLaunch launch, bool essential, TimeSpan stopTimeout, TaskLogShipper? logs,
        Action<string, bool>? onLine = null)
    {
        var program = launch.Argv[0];
        var found = program.Contains('/')
            ? File.Exists(Path.IsPathRooted(program) ? program : Path.Join(launch.WorkingDirectory, program))
            : launch.Environment.GetValueOrDefault("PATH", "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Join(d, program)));
        if (!found)
            throw new TaskStartException($"CannotStartContainerError: container {launch.Name}: exec: \"{program}\": executable file not found in $PATH");
        return new ContainerProcess(launch, essential, stopTimeout, logs, onLine);
    }

    /// <summary>Sends <paramref name="signal"/> to the container's whole process group.</summary>
    public void Signal(int signal) => PosixSignals.SignalGroup(Pid, signal);

    /// <summary>After the process exited: kills what it left in its group, and waits (briefly) for its output to end.</summary>
    public async Task CleanUpAsync()
    {
        Signal(PosixSignals.Kill);
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _process.WaitForExitAsync(drain.Token); }
        catch (OperationCanceledException) { } // a stray holder of its output that escaped the group: stop waiting for it
        if (Logs != null) await Logs.CompleteAsync();
    }

    public void Dispose() => _process.Dispose();
}
