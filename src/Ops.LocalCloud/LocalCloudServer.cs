using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ops.LocalCloud.Diagnostics;
using Ops.LocalCloud.Protocol;
using Ops.LocalCloud.Registry;
using Ops.LocalCloud.Services;
using Ops.LocalCloud.Services.S3;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud;

/// <summary>
/// An AWS-compatible endpoint on 127.0.0.1: one port for every service, routed by the SigV4 credential
/// scope, then X-Amz-Target, then the form Action; signatures verified; real wire protocols. This class wires the parts
/// (state, services, IAM, tasks, web processes, data stores, registry) and owns their lifetime; each request goes to
/// <see cref="Dispatch.RequestRouter"/>.
/// </summary>
public sealed class LocalCloudServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly Dictionary<string, ServiceHandler> _services;
    readonly Services.Iam.IamGate _gate;
    readonly Services.Iam.CredentialsEndpoint _credentials;
    readonly StateStore _store;
    readonly S3Service _s3;
    readonly Tasks.ProcessTaskRunner? _tasks;
    readonly DockerRegistryProcess? _registry;
    readonly DataStores.LocalDataStores _dataStores;
    readonly Web.WebProcesses? _web;
    readonly LoopbackHosts _hosts;
    int _disposed;

    /// <summary>The options it runs with; <see cref="LocalCloudOptions.Backends"/> includes the parts it started itself (the registry, the image
    /// source).</summary>
    public LocalCloudOptions Options { get; }

    /// <summary>The real parts behind resources, as <see cref="Options"/> holds them.</summary>
    public LocalBackends Backends => Options.Backends;

    /// <summary>What backs ECR, for a user to read: "registry: docker-registry at 127.0.0.1:5100" or "registry: none (why)".</summary>
    public string RegistryStatus { get; }

    /// <summary>What backs RDS, Redshift and ElastiCache, for a user to read (real servers or simulated, and why).</summary>
    public string DataStoreStatus => _dataStores.Status;

    /// <summary>Real data-store servers that failed (also shown as their resource's failed status).</summary>
    public IReadOnlyList<string> DataStoreProblems => _dataStores.Problems;

    /// <summary>What backs Elastic Beanstalk environments, for a user to read (real web processes, or simulated and why).</summary>
    public string WebStatus => Web.WebProcesses.Describe(_web, Options);
    public Uri Url { get; private set; } = null!;
    public RequestLog Requests { get; } = new();

    /// <summary>Requests IAM refused since start (each is also a line of <c>iam-denied.log</c> in the state directory).</summary>
    public long DeniedRequests => _gate.Denied;
    public FaultInjector Faults { get; } = new();

    LocalCloudServer(LocalCloudOptions options, DockerRegistryProcess? registry, string registryStatus)
    {
        _registry = registry;
        RegistryStatus = registryStatus;
        if (registry != null)
            options = options with
            {
                Backends = options.Backends with
                {
                    Registry = registry,
                    Images = options.Backends.Images
                        ?? (OperatingSystem.IsWindows() ? null : new Tasks.RegistryImageSource(registry.Client, registry.Host, options.StateDirectory!)),
                },
            };
        _dataStores = DataStores.LocalDataStores.Start(options);
        options = options with
        {
            Backends = options.Backends with
            {
                Databases = options.Backends.Databases ?? _dataStores.Databases,
                Warehouses = options.Backends.Warehouses ?? _dataStores.Warehouses,
                Caches = options.Backends.Caches ?? _dataStores.Caches,
            },
        };
        Options = options;
        _hosts = new LoopbackHosts(options.AllowedHosts);
        _store = new StateStore(options.StateDirectory, options.Durability, options.CompactLogAtBytes);
        var iam = new Services.Iam.IamService(_store);
        var sessions = new Iam.RoleSessions(options.Clock);
        _gate = new Services.Iam.IamGate(options, iam, sessions);
        _credentials = new Services.Iam.CredentialsEndpoint(iam, sessions, options);
        _s3 = new S3Service(options.StateDirectory);
        _tasks = Tasks.ProcessTaskRunner.For(options, _credentials);
        _web = options.RunWebProcesses && options.StateDirectory != null && !OperatingSystem.IsWindows()
            ? new Web.WebProcesses(options.StateDirectory, _s3, options, _credentials, iam) : null;
        _services = ServiceCatalog.Create(_store, options, iam, sessions, _tasks, _s3, _web).ToDictionary(s => s.Model.SigningName);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Embedded: the host process owns Ctrl+C and SIGTERM, not this server.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = null; // each path enforces its own limit before buffering
        });
        _app = builder.Build();
        var router = new Dispatch.RequestRouter(options, _services, _gate, _credentials, _store, _s3, _tasks, _web != null, _hosts, Requests, Faults);
        _app.Run(router.HandleAsync);
    }

    /// <summary>
    /// Starts the endpoint (and, when <see cref="LocalCloudOptions.RunRegistry"/> asks and it can, a docker-registry behind ECR).
    /// Throws <see cref="RegistryUnavailableException"/> when the registry's port is taken or it does not start.
    /// </summary>
    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions options, CancellationToken cancellationToken = default)
    {
        options = options.WithOperatorKeys();
        // What a local cloud killed by kill -9 on this state left running (servers, web processes) stops before anything starts.
        if (options.StateDirectory != null && !OperatingSystem.IsWindows())
            await Tasks.ChildRecords.In(options.StateDirectory).ReapAsync(cancellationToken);
        var (registry, status) = await StartRegistryAsync(options, cancellationToken);
        LocalCloudServer server;
        try
        {
            server = new LocalCloudServer(options, registry, status);
        }
        catch
        {
            if (registry != null) await registry.DisposeAsync();
            throw;
        }
        try
        {
            await server._app.StartAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        if (server._tasks != null) await server._tasks.ActivateAsync(server.Url, cancellationToken);
        server._web?.Activate(server.Url);
        foreach (var service in server._services.Values.OfType<Services.IResumesBackends>()) service.ResumeBackends();
        return server;
    }

    static async Task<(DockerRegistryProcess?, string)> StartRegistryAsync(LocalCloudOptions options, CancellationToken cancellationToken)
    {
        if (options.Backends.Registry != null) return (null, "registry: supplied by the host (LocalBackends.Registry)");
        if (!options.RunRegistry) return (null, "registry: none (not requested)");
        if (options.StateDirectory == null) return (null, "registry: none (it needs a state directory for its storage)");
        if (DockerRegistryProcess.FindExecutable() is not { } executable)
            return (null, "registry: none (docker-registry not on PATH; install the docker-registry package for a real ECR)");
        var registry = await DockerRegistryProcess.StartAsync(executable, options.StateDirectory, options.RegistryPort, cancellationToken);
        return (registry, $"registry: docker-registry at {registry.Host} (storage in {Path.Combine(options.StateDirectory, "registry")})");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_tasks != null) await _tasks.DisposeAsync(); // while the endpoint still answers their last calls
        if (_web != null) await _web.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose(); // writes what changed since the last flush
        await _dataStores.DisposeAsync(); // after the store: the state already says where each server's data is
        _s3.Dispose(); // removes its temporary directory when there is no state directory
        if (_registry != null) await _registry.DisposeAsync();
    }

    sealed class EmbeddedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
