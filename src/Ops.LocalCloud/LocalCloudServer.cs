using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ops.LocalCloud.Diagnostics;
using Ops.LocalCloud.Protocol;
using Ops.LocalCloud.Registry;
using Ops.LocalCloud.Services;
using Ops.LocalCloud.Services.S3;
using Ops.LocalCloud.State;
using Ops.Contracts;

namespace Ops.LocalCloud;

/// <summary>
/// An AWS-compatible endpoint on 127.0.0.1: one port for every service, routed by the SigV4 credential
/// scope, then X-Amz-Target, then the form Action; signatures verified; real wire protocols.
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

    /// <summary>The options it runs with; <see cref="LocalCloudOptions.Backends"/> includes the parts it started itself (the registry, the image source).</summary>
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
                    Images = options.Backends.Images ?? (OperatingSystem.IsWindows() ? null : new Tasks.RegistryImageSource(registry.Client, registry.Host, options.StateDirectory!)),
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
        _store = new StateStore(options.StateDirectory, options.Durability);
        var iam = new Services.Iam.IamService(_store);
        var sessions = new Iam.RoleSessions(options.Clock);
        _gate = new Services.Iam.IamGate(options, iam, sessions);
        _credentials = new Services.Iam.CredentialsEndpoint(iam, sessions, options);
        _s3 = new S3Service(options.StateDirectory);
        _tasks = Tasks.ProcessTaskRunner.For(options, _credentials);
        _web = options.RunWebProcesses && options.StateDirectory != null && !OperatingSystem.IsWindows() ? new Web.WebProcesses(options.StateDirectory, _s3, options, _credentials, iam) : null;
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
        _app.Run(HandleAsync);
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

    /// <summary>The largest request body a service other than S3 reads (AWS's own limits are far lower; SQS's handler checks its 1 MiB).</summary>
    public const long MaxRequestBytes = 16 * 1024 * 1024;

    /// <summary>SQS bodies carry at most 1 MiB of messages; a little more leaves room for JSON escaping and attributes.</summary>
    public const long MaxSqsRequestBytes = 3 * 1024 * 1024;

    /// <summary>S3's largest single PUT.</summary>
    public const long MaxS3ObjectBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>
    /// One request, in AWS's order: authenticate from the headers, read the body (bounded), check the signature over
    /// it, route, apply injected faults, decode, handle, wait until the change is durable, answer.
    /// </summary>
    async Task HandleAsync(HttpContext http)
    {
        if (!_hosts.Accepts(http.Request.Headers.Host.ToString()))
        {
            await RefuseAsync(http, LoopbackHosts.Refusal(http.Request.Headers.Host.ToString()));
            return;
        }
        if (FromBrowser(http.Request))
        {
            await RefuseAsync(http, "Requests from web pages are refused: the local cloud answers AWS clients (SDKs, the aws CLI), which send no Origin or Sec-Fetch-* header, and never grants CORS.");
            return;
        }
        if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path.Equals(LocalCloudProbe.Path, StringComparison.Ordinal))
        {
            await Results.Json(new Dictionary<string, string> { ["cloud"] = LocalCloudProbe.Name, ["tasks"] = LocalCloudProbe.TasksAsProcesses }).ExecuteAsync(http);
            return;
        }
        if (http.Request.Path.StartsWithSegments(Services.Iam.CredentialsEndpoint.Prefix))
        {
            await _credentials.HandleAsync(http); // as ECS's agent: no signature, the path's token is the process's
            return;
        }
        if (_tasks != null && http.Request.Path.StartsWithSegments(Tasks.TaskMetadataEndpoint.Prefix))
        {
            await _tasks.Metadata.HandleAsync(http); // as on ECS: no signature, the path's token is the container's
            return;
        }
        var clock = Stopwatch.StartNew();
        var requestId = Guid.NewGuid().ToString();
        var request = http.Request;
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var scope = SigV4Verifier.Scope(headers.GetValueOrDefault("authorization"));
        var target = headers.GetValueOrDefault("x-amz-target");

        if (scope?.Service == "s3" || (scope == null && target == null && !LooksLikeQuery(request)))
        {
            await HandleS3Async(http, headers, requestId, clock);
            return;
        }

        // The service named by the signed scope; without a usable scope only the error's dialect is chosen.
        ServiceHandler? service = null;
        if (scope != null) _services.TryGetValue(scope.Service, out service);
        var dialect = service ?? (target == null ? null : _services.Values.FirstOrDefault(s => s.Model.TargetPrefix != null && target.StartsWith(s.Model.TargetPrefix + ".", StringComparison.Ordinal)));
        var protocol = dialect?.Model.Protocol ?? (target != null ? "json" : "query");
        var operation = "?";
        string? errorCode = null;
        // Logged as the response starts, so a client that has its answer always finds its call in the log.
        http.Response.OnStarting(() =>
        {
            Requests.Add(new LoggedRequest(DateTimeOffset.UtcNow, service?.Name ?? dialect?.Name ?? "?", operation, http.Response.StatusCode, errorCode, clock.Elapsed));
            return Task.CompletedTask;
        });
        try
        {
            var signature = SigV4Verifier.Authenticate(headers, _gate.SecretOf, DateTimeOffset.UtcNow, s3: false);
            var session = _gate.SessionOf(signature.Credential.AccessKey, headers, json: protocol == "json");
            if (service == null)
                throw new AwsError("UnknownService", $"The local cloud does not serve '{scope!.Service}' (signed scope {scope.Date}/{scope.Region}/{scope.Service}).", 400);
            var body = await ReadBodyAsync(request, service.Name == "sqs" ? MaxSqsRequestBytes : MaxRequestBytes, http.RequestAborted);
            SigV4Verifier.Verify(signature, request.Method, RawPath(http), request.QueryString.Value ?? "", headers, Convert.ToHexStringLower(SHA256.HashData(body)), s3: false);

            var form = ReadForm(request, body);
            OperationModel? op;
            Dictionary<string, string>? labels = null;
            switch (protocol)
            {
                case "json":
                    operation = target?[(target.IndexOf('.') + 1)..] ?? throw new AwsError("MissingAction", "X-Amz-Target is missing.", 400);
                    break;
                case "rest-xml":
                    var match = WireCodec.MatchRest(service.Model, request.Method, request.Path.Value ?? "/")
                        ?? throw new AwsError("InvalidURI", $"No {service.Name} operation matches {request.Method} {request.Path}.", 404);
                    (op, labels) = match;
                    operation = op.Name;
                    break;
                default:
                    operation = form.GetValueOrDefault("Action") ?? throw new AwsError("MissingAction", "The request must contain the parameter Action.", 400);
                    break;
            }

            await InjectFaultsAsync(service.Model.SigningName, operation, service.Throttling, "InternalFailure", http.RequestAborted);

            if (!service.Model.Operations.TryGetValue(operation, out op))
                throw new AwsError(protocol == "json" ? "UnknownOperationException" : "InvalidAction", $"{service.Name} has no operation {operation}.", 400);
            if (signature.Credential.AccessKey != Options.AccessKey && StartsProgram(service.Model.SigningName, operation))
                throw new AwsError("AccessDenied",
                    $"{operation} starts a program on this machine, so it needs the local cloud's operator keys, not the public '{signature.Credential.AccessKey}' ones: " +
                    $"source {OperatorCredentials.EnvFileName} in the local cloud's state directory (./build.sh local-cloud prints how). The public keys serve everything that starts nothing.", 403);
            var input = protocol switch
            {
                "json" => WireCodec.DecodeJson(service.Model, op.Input, body),
                "rest-xml" => WireCodec.DecodeRest(service.Model, op, labels!, Query(request), body),
                _ => WireCodec.DecodeQuery(service.Model, op.Input, form),
            };
            _gate.Authorize(session, service.Model.SigningName, operation, input, protocol, scope!.Region);
            var context = new RequestContext(Options.Account, scope.Region, requestId, Options.Clock.GetUtcNow(),
                new Uri($"http://{request.Host}")) { Caller = session?.AssumedRoleArn, CallerIsOperator = signature.Credential.AccessKey == Options.AccessKey };
            var changes = _store.BeginRequest();
            var output = await service.HandleAsync(operation, input, context, http.RequestAborted);
            // Acknowledge only what would survive a crash now.
            await _store.WhenDurableAsync(changes, http.RequestAborted);

            http.Response.Headers["x-amzn-RequestId"] = requestId;
            switch (protocol)
            {
                case "json":
                    http.Response.ContentType = $"application/x-amz-json-{service.Model.JsonVersion}";
                    await http.Response.Body.WriteAsync(WireCodec.EncodeJson(service.Model, op.Output, output));
                    break;
                case "rest-xml":
                    var (xml, responseHeaders) = WireCodec.EncodeRestXml(service.Model, op, output as JsonObject);
                    foreach (var (k, v) in responseHeaders) http.Response.Headers[k] = v;
                    if (op.Name.StartsWith("Create", StringComparison.Ordinal)) http.Response.StatusCode = 201;
                    if (xml != null)
                    {
                        http.Response.ContentType = "text/xml";
                        await http.Response.WriteAsync(xml);
                    }
                    break;
                default:
                    http.Response.ContentType = "text/xml";
                    await http.Response.WriteAsync(WireCodec.EncodeXmlResponse(service.Model, op, output, requestId));
                    break;
            }
        }
        catch (AwsError error)
        {
            errorCode = error.Code;
            await WriteError(http, protocol, dialect?.Model, error, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errorCode = "InternalFailure";
            await WriteError(http, protocol, dialect?.Model, new AwsError("InternalFailure", $"Local cloud failure: {e.Message}", 500, sender: false), requestId);
        }
    }

    /// <summary>
    /// Whether <paramref name="operation"/> would start (or decide) a program on this machine: tasks and services where
    /// tasks are real processes, Elastic Beanstalk environments and the versions they run where web processes are real,
    /// and the servers behind RDS, Redshift and ElastiCache where those are real. Bookkeeping-only parts start nothing.
    /// </summary>
    bool StartsProgram(string service, string operation) => service switch
    {
        "ecs" => (_tasks != null || Options.Backends.Tasks != null) && operation is "CreateService" or "UpdateService" or "RunTask" or "StartTask"
            or "RegisterContainerInstance" or "UpdateContainerInstancesState",
        "elasticbeanstalk" => _web != null && operation is "CreateEnvironment" or "UpdateEnvironment" or "CreateApplicationVersion" or "DeleteApplicationVersion",
        "rds" => Options.Backends.Databases != null && operation is "CreateDBInstance" or "ModifyDBInstance" or "RebootDBInstance",
        "redshift" => Options.Backends.Warehouses != null && operation is "CreateCluster" or "ModifyCluster",
        "elasticache" => Options.Backends.Caches != null && operation is "CreateCacheCluster" or "CreateReplicationGroup" or "ModifyCacheCluster" or "ModifyReplicationGroup",
        _ => false,
    };

    /// <summary>A browser marks every request it sends for a page; no AWS client does.</summary>
    static bool FromBrowser(HttpRequest request) =>
        request.Headers.ContainsKey("Origin") || request.Headers.ContainsKey("Sec-Fetch-Mode") || request.Headers.ContainsKey("Sec-Fetch-Site");

    /// <summary>A caller the endpoint does not serve (a non-loopback Host, a web page): 403 in the dialect the request looks like, before anything else is read.</summary>
    async Task RefuseAsync(HttpContext http, string message)
    {
        var requestId = Guid.NewGuid().ToString();
        var protocol = http.Request.Headers.ContainsKey("x-amz-target") ? "json" : LooksLikeQuery(http.Request) ? "query" : "s3";
        var error = new AwsError("AccessDenied", message, 403);
        Requests.Add(new LoggedRequest(DateTimeOffset.UtcNow, "?", "?", 403, error.Code, TimeSpan.Zero));
        await WriteError(http, protocol, null, error, requestId);
    }

    /// <summary>A request without a signature that names a query Action (form or query string) rather than an S3 path.</summary>
    static bool LooksLikeQuery(HttpRequest request) =>
        request.Query.ContainsKey("Action")
        || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Reads a body of at most <paramref name="limit"/> bytes; a larger one is refused (413) before it is buffered.</summary>
    static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(request.ContentLength.Value, limit);
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 0);
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > limit) throw TooLarge(null, limit);
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    static AwsError TooLarge(long? length, long limit) => new("RequestEntityTooLarge",
        $"The request body{(length is { } l ? $" ({l} bytes)" : "")} is larger than the {limit / (1024 * 1024)} MiB this endpoint accepts.", 413);

    /// <summary>Applies the fault rule that fires for this call, if any: waits, then throws the service's throttling or a 5xx.</summary>
    async Task InjectFaultsAsync(string service, string operation, Func<AwsError> throttling, string serverErrorCode, CancellationToken cancellationToken)
    {
        if (Faults.Next(service, operation) is not { } fault) return;
        if (fault.Latency is { } latency) await Task.Delay(latency, cancellationToken);
        if (fault.Throttle) throw throttling();
        if (fault.ServerError is { } status)
            throw new AwsError(status == 503 && serverErrorCode == "InternalFailure" ? "ServiceUnavailable" : serverErrorCode, "Injected fault.", status, sender: false);
    }

    /// <summary>
    /// S3 speaks REST with its own error shape and signs the path as sent. Its body is never buffered here: it streams
    /// to S3Service through a hash check when the request signed a SHA-256 of it.
    /// </summary>
    async Task HandleS3Async(HttpContext http, Dictionary<string, string> headers, string requestId, Stopwatch clock)
    {
        var request = http.Request;
        var operation = $"{request.Method} {(request.Path.Value ?? "/").Count(ch => ch == '/') switch { <= 1 => "bucket", _ => "object" }}";
        string? errorCode = null;
        http.Response.OnStarting(() =>
        {
            Requests.Add(new LoggedRequest(DateTimeOffset.UtcNow, "s3", operation, http.Response.StatusCode, errorCode, clock.Elapsed));
            return Task.CompletedTask;
        });
        try
        {
            var signature = SigV4Verifier.Authenticate(headers, _gate.SecretOf, DateTimeOffset.UtcNow, s3: true);
            var session = _gate.SessionOf(signature.Credential.AccessKey, headers, json: false);
            var declared = headers["x-amz-content-sha256"];
            SigV4Verifier.Verify(signature, request.Method, RawPath(http), request.QueryString.Value ?? "", headers, declared, s3: true);
            _gate.AuthorizeS3(session, request.Method, RawPath(http), request.Query.Keys, signature.Credential.Region);
            if (request.ContentLength > MaxS3ObjectBytes)
                throw new AwsError("EntityTooLarge", $"Your proposed upload exceeds the maximum allowed size of {MaxS3ObjectBytes} bytes.", 400);
            await InjectFaultsAsync("s3", operation, () => new AwsError("SlowDown", "Please reduce your request rate.", 503), "InternalError", http.RequestAborted);
            await using var body = SigV4Verifier.IsHexHash(declared) ? new PayloadHashStream(request.Body, declared) : request.Body;
            var context = new RequestContext(Options.Account, signature.Credential.Region, requestId, Options.Clock.GetUtcNow(), new Uri($"http://{request.Host}"))
            {
                Caller = session?.AssumedRoleArn, CallerIsOperator = signature.Credential.AccessKey == Options.AccessKey,
            };
            http.Response.Headers["x-amz-request-id"] = requestId;
            await _s3.HandleAsync(http, body, context, http.RequestAborted);
        }
        catch (AwsError error) when (!http.Response.HasStarted)
        {
            errorCode = error.Code;
            await WriteError(http, "s3", null, error, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            errorCode = "InternalError";
            await WriteError(http, "s3", null, new AwsError("InternalError", $"Local cloud failure: {e.Message}", 500, sender: false), requestId);
        }
    }

    sealed class EmbeddedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    static async Task WriteError(HttpContext http, string protocol, ServiceModel? model, AwsError error, string requestId)
    {
        var (contentType, body, headers) = WireCodec.EncodeError(protocol, model, error, requestId);
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = contentType;
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        foreach (var (k, v) in headers) http.Response.Headers[k] = v;
        await http.Response.WriteAsync(body);
    }

    static string RawPath(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget?.Split('?')[0] ?? http.Request.Path.Value ?? "/";

    static Dictionary<string, string> Query(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());

    /// <summary>Query string and form body together (the query protocols accept both).</summary>
    static Dictionary<string, string> ReadForm(HttpRequest request, byte[] body)
    {
        var form = Query(request);
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                form[key] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        return form;
    }
}
