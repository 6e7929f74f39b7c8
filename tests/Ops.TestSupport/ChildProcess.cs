using System.Diagnostics;
using System.Text;

namespace Ops.TestSupport;

/// <summary>A real child process with its output captured, for tests of what a user at a shell would see.</summary>
public sealed class ChildProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _out = new();
    readonly StringBuilder _err = new();
    readonly object _lock = new();

    public ChildProcess(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_lock) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_lock) _err.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Out { get { lock (_lock) return _out.ToString(); } }
    public string Err { get { lock (_lock) return _err.ToString(); } }
    public int Id => _process.Id;

    public async Task WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Out.Contains(text))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"'{text}' never appeared.\nstdout:\n{Out}\nstderr:\n{Err}");
            await Task.Delay(50);
        }
    }

    /// <summary>Writes <paramref name="text"/> to the process's standard input and closes it (end of input).</summary>
    public void WriteInputAndClose(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Close();
    }

    public void Signal(string signal) => Process.Start("kill", ["-" + signal, Id.ToString()])!.WaitForExit();

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"did not exit within {timeout}.\nstdout:\n{Out}\nstderr:\n{Err}");
        }
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public static async Task<(int Code, string Out, string Err)> Run(string file, IEnumerable<string> args, string workingDirectory,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        using var p = new ChildProcess(file, args, workingDirectory, env);
        var code = await p.WaitForExit(timeout ?? TimeSpan.FromMinutes(3));
        return (code, p.Out, p.Err);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
