using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;

/// <summary>
/// podman's Docker-compatible API service on a socket of its own, with fresh (empty) vfs storage under one directory:
/// a cold engine, as a developer's first build-docker sees it. Stopped and its storage removed on dispose.
/// </summary>
sealed class PodmanService : IAsyncDisposable
{
    readonly Process _process;
    readonly string _directory;

    PodmanService(Process process, string directory, string socket) => (_process, _directory, Socket) = (process, directory, socket);

    /// <summary>The API socket, as DOCKER_HOST wants it: unix:///….</summary>
    public string DockerHost => "unix://" + Socket;

    public string Socket { get; }

    public static async Task<PodmanService> StartFreshAsync(string directory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        var socket = Path.Combine(directory, "podman.sock");
        var start = new ProcessStartInfo("podman")
        {
            ArgumentList =
            {
                "--storage-driver=vfs", "--root", Path.Combine(directory, "root"), "--runroot", Path.Combine(directory, "run"),
                "system", "service", "--time=0", "unix://" + socket,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new BenchException($"cannot start podman ({e.Message}); install it (apt-get install podman)");
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new PodmanService(process, directory, socket);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
                break;
            if (File.Exists(socket) && await AnswersAsync(socket, cancellationToken)) return service;
            await Task.Delay(100, cancellationToken);
        }
        await service.DisposeAsync();
        throw new BenchException($"podman system service did not answer on {socket} within 30 s (exit {(process.HasExited ? process.ExitCode : "none")}); try it by hand: podman --storage-driver=vfs system service --time=0");
    }

    static async Task<bool> AnswersAsync(string socket, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets podman release its storage locks; SIGKILL if it does not go within 10 s.
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
