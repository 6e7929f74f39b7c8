using System.Net.Sockets;
using System.Text.Json;
using Ops.Aws;
using Ops.LocalCloud;
using Ops.LocalCloud.Registry;
using Ops.Targets;

namespace Ops.Build;

/// <summary>
/// The local cloud for <c>--cloud local</c>: reuses the instance already serving the state directory
/// (a <c>./build.sh local-cloud</c> in another terminal, or a concurrent run), otherwise starts one
/// in-process on a free port. State lives in <c>.nuke/temp/local-cloud/</c>, so runs see the same cloud.
/// ECR is backed by a docker-registry on <c>registryPort</c> when docker-registry is installed.
/// </summary>
sealed class LocalCloudHost(string stateDirectory, LifecycleDelays delays, int? registryPort, IReadOnlyList<string> allowedHosts, bool enforceIam,
    IBuildLog log) : ILocalCloud, IAsyncDisposable
{
    sealed record ServerInfo(string Url, int Pid);

    LocalCloudServer? _server;
    FileStream? _lock;
    LocalCloudEndpoint? _endpoint;

    string LockPath => Path.Combine(stateDirectory, "server.lock");
    string InfoPath => Path.Combine(stateDirectory, "server.json");

    public async Task<LocalCloudEndpoint> EnsureRunningAsync(CancellationToken cancellationToken)
    {
        if (_endpoint != null) return _endpoint;
        if (TryTakeLock())
        {
            var server = await StartAsync(port: 0, cancellationToken);
            log.Info($"local cloud started at {server.Url} (state in {Relative(stateDirectory)})");
            return _endpoint = new LocalCloudEndpoint(server.Url, server.Options.AccessKey, server.Options.SecretKey);
        }
        var running = Running() ?? throw new InvalidOperationException(
            $"Another process holds {Relative(LockPath)} but no local cloud answers; wait for it to finish or stop it.");
        log.Info($"using the local cloud already running at {running.Url} (pid {running.Pid})");
        var keys = OperatorCredentials.TryRead(stateDirectory) ?? throw new InvalidOperationException(
            $"The local cloud at {running.Url} serves {Relative(stateDirectory)}, but its operator keys ({OperatorCredentials.JsonFileName}) are missing or unreadable; stop it and run again.");
        return _endpoint = new LocalCloudEndpoint(new Uri(running.Url), keys.AccessKey, keys.SecretKey);
    }

    /// <summary>Serves in this process on <paramref name="port"/> (the local-cloud target); fails if another instance owns the state.</summary>
    public async Task<LocalCloudServer> ServeAsync(int port, CancellationToken cancellationToken)
    {
        if (!TryTakeLock())
        {
            var running = Running();
            throw new UsageException(running != null
                ? $"A local cloud already serves {Relative(stateDirectory)} at {running.Url} (pid {running.Pid}); use it, or stop it first."
                : $"Another process holds {Relative(LockPath)}; wait for it to finish.");
        }
        return await StartAsync(port, cancellationToken);
    }

    async Task<LocalCloudServer> StartAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            _server = await LocalCloudServer.StartAsync(new LocalCloudOptions
            {
                Port = port,
                StateDirectory = stateDirectory,
                Delays = delays,
                RunRegistry = true,
                RegistryPort = registryPort,
                AllowedHosts = allowedHosts,
                EnforceIam = enforceIam,
            }, cancellationToken);
        }
        catch (RegistryUnavailableException e) when (e.PortTaken)
        {
            throw new UsageException(e.Message.Replace("LocalCloudOptions.RegistryPort (--registry-port)", "--registry-port", StringComparison.Ordinal));
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
            || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"Port {port} on 127.0.0.1 is in use; pass --port with a free port, or stop what listens there.");
        }
        File.WriteAllText(InfoPath, JsonSerializer.Serialize(new ServerInfo(_server.Url.ToString(), Environment.ProcessId)));
        log.Info(_server.RegistryStatus);
        log.Info(_server.DataStoreStatus);
        log.Info(_server.WebStatus);
        log.Info(enforceIam
            ? "iam: enforced — tasks and web processes run as their roles and are refused what their policies do not allow (denials in iam-denied.log)"
            : "iam: NOT enforced (--local-cloud-iam off) — tasks and web processes still get their roles' credentials, but nothing is refused");
        return _server;
    }

    bool TryTakeLock()
    {
        Directory.CreateDirectory(stateDirectory);
        try
        {
            _lock = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    ServerInfo? Running()
    {
        try
        {
            var info = JsonSerializer.Deserialize<ServerInfo>(File.ReadAllText(InfoPath));
            if (info == null) return null;
            var url = new Uri(info.Url);
            using var probe = new TcpClient();
            probe.Connect(url.Host, url.Port);
            return info;
        }
        catch (Exception e) when (e is IOException or JsonException or SocketException)
        {
            return null;
        }
    }

    /// <summary>Requests the local cloud serving this state refused by IAM so far (the lines of its iam-denied.log), whether it runs here or in another
    /// process.</summary>
    public long DeniedRequests()
    {
        var path = Path.Combine(stateDirectory, "iam-denied.log");
        return File.Exists(path) ? File.ReadLines(path).LongCount() : 0;
    }

    /// <summary>How a person gets the operator's keys into a shell or the aws CLI without the secret being printed.</summary>
    public IEnumerable<string> CredentialHints(Uri url, string region)
    {
        var env = Relative(Path.Combine(stateDirectory, OperatorCredentials.EnvFileName));
        var json = Path.GetFullPath(Path.Combine(stateDirectory, OperatorCredentials.JsonFileName));
        yield return $"operator keys (may start tasks, web processes, databases): . {env} && export AWS_ENDPOINT_URL={url.ToString().TrimEnd('/')} AWS_REGION={region}";
        yield return $"or as an aws CLI profile: aws configure set credential_process 'cat {json}' --profile ops-local && aws configure set region {region} --profile ops-local";
        yield return $"public keys (everything that starts nothing): AWS_ACCESS_KEY_ID={OperatorCredentials.PublicAccessKey} AWS_SECRET_ACCESS_KEY={OperatorCredentials.PublicSecretKey} aws --region {region} --endpoint-url {url} sqs list-queues";
    }

    static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);

    public async ValueTask DisposeAsync()
    {
        if (_server != null)
        {
            if (_server.DeniedRequests > 0)
                log.Warning($"iam: the local cloud refused {_server.DeniedRequests} request(s) a role's policies did not allow; see {Relative(Path.Combine(stateDirectory, "iam-denied.log"))}");
            await _server.DisposeAsync();
            File.Delete(InfoPath);
        }
        _lock?.Dispose();
    }
}
