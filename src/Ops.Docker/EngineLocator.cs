using Docker.DotNet;

namespace Ops.Docker;

/// <summary>
/// Finds a Docker Engine API the way the docker CLI does, plus podman: <c>DOCKER_HOST</c> when set, else
/// <c>/var/run/docker.sock</c>, else podman's sockets (<c>$XDG_RUNTIME_DIR/podman/podman.sock</c>, <c>/run/podman/podman.sock</c>).
/// </summary>
internal static class EngineLocator
{
    /// <summary>How long a ping may take before the next place is tried (podman answers /version slowly under load: it gets its own minute).</summary>
    static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The endpoints to try, in order, for this environment.</summary>
    public static IReadOnlyList<Uri> Candidates(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue("DOCKER_HOST", out var host) && !string.IsNullOrWhiteSpace(host))
            return [ParseHost(host.Trim())];
        var candidates = new List<Uri> { new("unix:///var/run/docker.sock") };
        if (environment.TryGetValue("XDG_RUNTIME_DIR", out var runtime) && !string.IsNullOrWhiteSpace(runtime))
            candidates.Add(new Uri("unix://" + Path.Combine(runtime, "podman", "podman.sock")));
        candidates.Add(new Uri("unix:///run/podman/podman.sock"));
        return candidates;
    }

    /// <summary>A DOCKER_HOST value as a URI; only unix:// and tcp:// are supported.</summary>
    internal static Uri ParseHost(string host)
    {
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp"))
            throw new DockerEngineUnavailableException(
                $"DOCKER_HOST '{host}' is not a unix:// or tcp:// address; set it like unix:///run/podman/podman.sock or tcp://127.0.0.1:2375, or unset it.", [host]);
        return uri;
    }

    /// <summary>The first endpoint that answers a ping, connected; or <see cref="DockerEngineUnavailableException"/> naming every place tried.</summary>
    public static async Task<DockerEngine> LocateAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        var fromEnvironment = environment.TryGetValue("DOCKER_HOST", out var host) && !string.IsNullOrWhiteSpace(host);
        foreach (var endpoint in Candidates(environment))
        {
            var (engine, reason) = await TryConnectAsync(endpoint, cancellationToken);
            if (engine != null) return engine;
            tried.Add($"{endpoint} ({reason})");
        }
        var where = fromEnvironment ? "DOCKER_HOST " + string.Join("; ", tried) : string.Join("; ", tried) + " (DOCKER_HOST is not set)";
        throw new DockerEngineUnavailableException(
            $"no container engine answered at {where}; start one, e.g. 'podman system service --time=0 unix:///run/podman/podman.sock &' (as the user running the build), or point DOCKER_HOST at a running Docker or podman.",
            tried);
    }

    /// <summary>Connects and pings <paramref name="endpoint"/>: the engine, or why it did not answer.</summary>
    internal static async Task<(DockerEngine? Engine, string Reason)> TryConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.Scheme == "unix" && !File.Exists(endpoint.LocalPath) && !Directory.Exists(endpoint.LocalPath))
            return (null, "no such socket");
        var client = new DockerClientBuilder().WithEndpoint(endpoint).Build();
        try
        {
            using var ping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ping.CancelAfter(PingTimeout);
            try
            {
                await client.System.PingAsync(ping.Token);
                ping.CancelAfter(TimeSpan.FromMinutes(1));
                var version = await client.System.GetVersionAsync(ping.Token);
                var product = version.Components?.Any(c => c.Name?.Contains("Podman", StringComparison.OrdinalIgnoreCase) == true) == true ? "podman" : "Docker";
                var engine = new DockerEngine(client, endpoint, $"{product} {version.Version} (API {version.APIVersion}) at {endpoint}");
                client = null;
                return (engine, "");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, $"no answer within {PingTimeout.TotalSeconds:0} s");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
            {
                return (null, Describe(e));
            }
        }
        finally
        {
            client?.Dispose();
        }
    }

    static string Describe(Exception e)
    {
        for (var inner = e; inner != null; inner = inner.InnerException)
            if (inner is System.Net.Sockets.SocketException s)
                return s.SocketErrorCode switch
                {
                    System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
                    System.Net.Sockets.SocketError.AccessDenied => "permission denied: run as the socket's owner",
                    _ => s.Message,
                };
        return e is DockerApiException api ? $"HTTP {(int)api.StatusCode}" : e.Message.Split('\n')[0].Trim();
    }
}
