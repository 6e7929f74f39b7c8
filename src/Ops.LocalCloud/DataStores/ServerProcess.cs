using System.ComponentModel;
using System.Diagnostics;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.DataStores;

/// <summary>
/// One long-running server (postgres, redis-server) started by the local cloud: its output appended to a log file, stopped
/// with a signal (then SIGKILL after a grace) so no server outlives the local cloud.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly int _stopSignal;
    readonly Task _output;
    readonly ChildRecords _records;
    readonly string _name;

    ServerProcess(Process process, int stopSignal, Task output, ChildRecords records, string name)
    {
        _process = process;
        _stopSignal = stopSignal;
        _output = output;
        _records = records;
        _name = name;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="argv"/> in <paramref name="directory"/> in a session of its own (so it and everything it starts
    /// can be found again), recorded in <paramref name="records"/> as <paramref name="name"/> until it has stopped;
    /// <paramref name="stdin"/> (a config, a secret) is written to its standard input and closed, so it never appears on a
    /// command line or in a file.
    /// </summary>
    public static ServerProcess Start(IReadOnlyList<string> argv, string directory, string logFile, int stopSignal, ChildRecords records, string name,
        string? stdin = null)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--");
        foreach (var a in argv) start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{argv[0]} did not start");
        records.Started(name, process.Id, stopSignal);
        if (stdin != null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var output = Task.WhenAll(Pump(process.StandardOutput, log), Pump(process.StandardError, log)).ContinueWith(_ => log.Dispose(), TaskScheduler.Default);
        return new ServerProcess(process, stopSignal, output, records, name);
    }

    /// <summary>Runs <paramref name="argv"/> to its end (initdb, psql), feeding it <paramref name="stdin"/>; returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(IReadOnlyList<string> argv, string directory, string? stdin,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{argv[0]} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin != null) await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    static async Task Pump(StreamReader from, StreamWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
            lock (to) to.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && PosixSignals.Signal(_process.Id, _stopSignal))
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // it exited on its own between the check and the signal
        }
        await _output;
        if (_process.HasExited) _records.Stopped(_name);
        _process.Dispose();
    }
}
