using System.Diagnostics;

namespace Ops.Stack;

/// <summary>Runs a stack's <c>prepare</c> command (<c>image.prepare</c>, <c>local.prepare</c>: argv, no shell) in the repository root, streaming its output
/// line by line.</summary>
internal static class PrepareCommand
{
    /// <summary>
    /// Runs <paramref name="argv"/>; a missing program or a non-zero exit throws <see cref="PrepareCommandException"/>
    /// naming <paramref name="field"/> and what <paramref name="rerun"/> to run once it is fixed.
    /// </summary>
    public static async Task RunAsync(string field, IReadOnlyList<string> argv, string directory, string rerun, IStackLog log,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        var shown = string.Join(' ', argv);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) log.Info("  " + line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) log.Info("  " + line); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PrepareCommandException($"{field} '{shown}' could not start: {argv[0]}: {e.Message}; install it or change {field} in the stack.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        process.WaitForExit(); // drains the output readers
        if (process.ExitCode != 0)
            throw new PrepareCommandException($"{field} '{shown}' exited with {process.ExitCode} (its output is above); fix it, then rerun {rerun}.");
    }
}
