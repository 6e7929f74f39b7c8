using System.ComponentModel;
using System.Diagnostics;

/// <summary>Runs a command to completion with its output captured; a failure to start or a non-zero exit is a <see cref="BenchException"/>.</summary>
static class ChildCommand
{
    /// <summary><c>./build.sh args</c> in <paramref name="root"/> with the benchmark's local-cloud operator keys and no colour, as a user runs it.</summary>
    public static Task<string> BuildShAsync(string root, string[] args, CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", BenchEnvironment.OperatorAccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", BenchEnvironment.OperatorSecretKey);
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Environment.SetEnvironmentVariable("NO_COLOR", "1");
        return RunAsync([Path.Combine(root, "build.sh"), .. args], root, cancellationToken);
    }

    public static async Task<string> RunAsync(IReadOnlyList<string> argv, string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new BenchException($"cannot start {argv[0]} ({e.Message}); install it or put it on PATH");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                var last = ((await error) + (await output)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5);
                throw new BenchException($"{string.Join(' ', argv)} exited {process.ExitCode}: {string.Join(" | ", last)}");
            }
            return await output;
        }
    }
}
