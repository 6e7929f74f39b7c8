using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

using Ops.Docker;
using Xunit;

namespace Ops.TestSupport;

/// <summary>A real <c>docker-registry</c> on a free loopback port with its access log on, and the engine DOCKER_HOST names.</summary>
public sealed partial class RegistryFixture : IAsyncLifetime
{
    readonly string _directory = Directory.CreateTempSubdirectory("ops-registry-").FullName;
    Process? _registry;

    public int Port { get; private set; }
    public string Host => $"127.0.0.1:{Port}";
    public string LogFile => Path.Combine(_directory, "registry.log");
    public HttpClient Http { get; } = new();

    /// <summary>The environment the engine is found through (tests/run.sh exports DOCKER_HOST for its podman service).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } =
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");

    public async Task InitializeAsync()
    {
        // Fail, never skip: without an engine these tests prove nothing.
        using (var engine = await DockerEngine.LocateAsync(Environment, CancellationToken.None)) { }
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var config = Path.Combine(_directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log: {"{"}accesslog: {"{"}disabled: false{"}"}, level: info{"}"}
            storage: {"{"}filesystem: {"{"}rootdirectory: {Path.Combine(_directory, "data")}{"}"}, delete: {"{"}enabled: true{"}"}{"}"}
            http: {"{"}addr: 127.0.0.1:{Port}{"}"}
            """);
        var start = new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            _registry = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("docker-registry is not on PATH; tests/run.sh installs it (Debian: apt-get install docker-registry).");
        }
        var log = File.CreateText(LogFile);
        log.AutoFlush = true;
        var sink = new object();
        _registry.OutputDataReceived += (_, e) => { if (e.Data != null) lock (sink) log.WriteLine(e.Data); };
        _registry.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (sink) log.WriteLine(e.Data); };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        for (var i = 0; ; i++)
        {
            try
            {
                if ((await Http.GetAsync($"http://{Host}/v2/")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (i < 100 && !_registry.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Access-log lines so far (the registry writes them as it answers).</summary>
    public string[] AccessLog()
    {
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd().Split('\n').Where(l => l.StartsWith("127.0.0.1 - ", StringComparison.Ordinal)).ToArray();
    }

    /// <summary>Blob uploads (the final PUT of each) among <paramref name="lines"/>.</summary>
    public static int BlobUploads(IEnumerable<string> lines) => lines.Count(l => BlobPut().IsMatch(l));

    /// <summary>The digest the registry serves for repository:tag (its Docker-Content-Digest header).</summary>
    public async Task<string> ManifestDigest(string repository, string tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Host}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>The manifest text and media type stored under repository:tag.</summary>
    public async Task<(string Manifest, string MediaType)> Manifest(string repository, string tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Host}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType!.MediaType!);
    }

    public Task DisposeAsync()
    {
        if (_registry is { HasExited: false }) _registry.Kill();
        _registry?.WaitForExit();
        _registry?.Dispose();
        Http.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [GeneratedRegex("\"PUT /v2/[^ ]+/blobs/uploads/[^ ]*digest=sha256")]
    private static partial Regex BlobPut();
}
