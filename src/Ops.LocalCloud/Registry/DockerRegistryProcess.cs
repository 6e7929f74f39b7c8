using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ops.LocalCloud.Registry;

/// <summary>
/// A real <c>docker-registry</c> (the Debian package of CNCF distribution) on a loopback port, started and stopped
/// with the local cloud: config, storage, pid and log under the state directory, so a registry left behind by a
/// local cloud that was killed is found and stopped at the next start.
/// </summary>
public sealed class DockerRegistryProcess : IRegistryBackend, IAsyncDisposable
{
    /// <summary>The executable looked up on PATH.</summary>
    public const string Executable = "docker-registry";

    readonly Process _process;
    readonly string _pidPath;
    int _disposed;

    /// <summary>The loopback port the registry serves plain HTTP on.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>: the registry host of every repository URI.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The registry's own log (its access log included).</summary>
    public string LogPath { get; }

    internal RegistryClient Client { get; }

    DockerRegistryProcess(int port, Process process, string pidPath, string logPath)
    {
        _pidPath = pidPath;
        Port = port;
        _process = process;
        LogPath = logPath;
        Client = new RegistryClient(new Uri($"http://127.0.0.1:{port}"));
    }

    public string RepositoryUri(string account, string region, string repository) => $"{Host}/{repository}";

    /// <summary>The full path of docker-registry on PATH, or null.</summary>
    public static string? FindExecutable()
    {
        if (OperatingSystem.IsWindows()) return null;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, Executable);
            if (File.Exists(path) && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0) return path;
        }
        return null;
    }

    /// <summary>The port the state directory's registry was given, kept so its repository URIs stay the same.</summary>
    const string PortFileName = "registry.port";

    /// <summary>The port a state directory's registry is first given when it is free (else any free one, kept from then on).</summary>
    public const int PreferredPort = 5100;

    /// <summary>
    /// Starts the registry with its files under <paramref name="stateDirectory"/>, after stopping a registry a previous run
    /// left there; returns once <c>GET /v2/</c> answers. <paramref name="port"/>: null keeps the state directory's own port
    /// (chosen at its first start: <see cref="PreferredPort"/> when free, else a free one), so checkouts side by side
    /// never meet; 0 picks a free port for this start only; any other number is used and kept.
    /// </summary>
    public static async Task<DockerRegistryProcess> StartAsync(string executable, string stateDirectory, int? port, CancellationToken cancellationToken)
    {
        var storage = Path.Combine(stateDirectory, "registry");
        var configPath = Path.Combine(stateDirectory, "registry.yml");
        var pidPath = Path.Combine(stateDirectory, "registry.pid");
        var logPath = Path.Combine(stateDirectory, "registry.log");
        var portPath = Path.Combine(stateDirectory, PortFileName);
        Directory.CreateDirectory(storage);
        await StopLeftoverAsync(pidPath, configPath, cancellationToken);

        var kept = File.Exists(portPath) && int.TryParse(await File.ReadAllTextAsync(portPath, cancellationToken), out var k) && k is > 0 and < 65536 ? k
            : (int?)null;
        var chosen = port ?? kept ?? (DataStores.LoopbackPorts.IsFree(PreferredPort) ? PreferredPort : DataStores.LoopbackPorts.Free());
        if (chosen == 0) chosen = DataStores.LoopbackPorts.Free();
        else if (!DataStores.LoopbackPorts.IsFree(chosen))
            throw new RegistryUnavailableException(port == null
                ? $"Port {chosen} on 127.0.0.1, which this state directory's registry was given ({portPath}) and its repository URIs name, is in use by another program; stop what listens on {chosen}, or start afresh with another state directory."
                : $"Port {chosen} on 127.0.0.1 is in use by another program, so the registry behind ECR cannot start there; set LocalCloudOptions.RegistryPort (--registry-port) to a free port, or stop what listens on {chosen}.", portTaken: true);
        if (port != 0 && kept != chosen)
            State.DurableFiles.WriteAtomically(portPath,
                System.Text.Encoding.ASCII.GetBytes(chosen.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await File.WriteAllTextAsync(configPath, Config(storage, chosen), cancellationToken);
        if (File.Exists(logPath)) File.Move(logPath, logPath + ".1", overwrite: true);
        // Through sh's exec so the registry writes its log straight to a file: no pipe to this process that
        // would break (and take the registry with it) if this process dies, and the recorded pid is the registry's.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var arg in new[] { "-c", "exec \"$0\" serve \"$1\" >>\"$2\" 2>&1 </dev/null", executable, configPath, logPath })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new RegistryUnavailableException($"Could not start {executable}.");
        await File.WriteAllTextAsync(pidPath, process.Id.ToString(), cancellationToken);
        var registry = new DockerRegistryProcess(chosen, process, pidPath, logPath);
        try
        {
            await registry.WaitUntilAnsweringAsync(cancellationToken);
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    static string Config(string storage, int port) => $"""
        # Written by the local cloud at each start; edits are overwritten.
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: false
          fields:
            service: registry
        storage:
          filesystem:
            rootdirectory: "{storage}"
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: 127.0.0.1:{port}
          headers:
            X-Content-Type-Options: [nosniff]
        """;

    async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        var process = _process;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
                throw new RegistryUnavailableException(
                    $"docker-registry exited with code {process.ExitCode} at start on 127.0.0.1:{Port}; its log: {LogPath}: {LastLine()}");
            if (await Client.PingAsync(cancellationToken)) return;
            if (DateTime.UtcNow > deadline)
                throw new RegistryUnavailableException($"docker-registry did not answer GET /v2/ on 127.0.0.1:{Port} within 30 s; its log: {LogPath}");
            await Task.Delay(50, cancellationToken);
        }
    }

    string LastLine()
    {
        try
        {
            return File.ReadLines(LogPath).LastOrDefault(l => l.Length > 0) ?? "(empty)";
        }
        catch (IOException)
        {
            return "(unreadable)";
        }
    }

    /// <summary>Stops the registry recorded in the pid file if it still runs this state directory's config (never another program that reused the
    /// pid).</summary>
    static async Task StopLeftoverAsync(string pidPath, string configPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(pidPath)) return;
        if (int.TryParse(await File.ReadAllTextAsync(pidPath, cancellationToken), out var pid) && IsOurRegistry(pid, configPath))
        {
            try
            {
                using var leftover = Process.GetProcessById(pid);
                await StopAsync(leftover, cancellationToken);
            }
            catch (ArgumentException)
            {
                // exited meanwhile
            }
        }
        File.Delete(pidPath);
    }

    static bool IsOurRegistry(int pid, string configPath)
    {
        try
        {
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return argv.Length > 0 && Path.GetFileName(argv[0]) == Executable && argv.Contains(configPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // no such process
        }
    }

    /// <summary>SIGTERM, up to 10 s for a clean exit, then SIGKILL.</summary>
    static async Task StopAsync(Process process, CancellationToken cancellationToken)
    {
        if (process.HasExited || Kill(process.Id, SigTerm) != 0) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception)
            {
                // exited between the timeout and the kill
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Client.Dispose();
        using (_process) await StopAsync(_process, CancellationToken.None);
        File.Delete(_pidPath);
    }

    const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
