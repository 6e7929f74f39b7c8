using System.Diagnostics;
using System.Net;
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
using Ops.LocalCloud.Services;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud;

/// <summary>
/// An AWS-compatible endpoint on 127.0.0.1: one port for every service, routed by the SigV4 credential
/// scope, then X-Amz-Target, then the form Action; signatures verified; real wire protocols.
/// </summary>
public sealed class LocalCloudServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly Dictionary<string, ServiceHandler> _services;
    readonly Dictionary<string, string> _secrets;
    readonly StateStore _store;
    readonly S3Service _s3;

    public LocalCloudOptions Options { get; }
    public Uri Url { get; private set; } = null!;
    public RequestLog Requests { get; } = new();
    public FaultInjector Faults { get; } = new();

    LocalCloudServer(LocalCloudOptions options)
    {
        Options = options;
        _secrets = new Dictionary<string, string> { [options.AccessKey] = options.SecretKey };
        _store = new StateStore(options.StateDirectory);
        _s3 = new S3Service(options.StateDirectory);
        _services = ServiceCatalog.Create(_store, options).ToDictionary(s => s.Model.SigningName);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Embedded: the host process owns Ctrl+C and SIGTERM, not this server.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions options, CancellationToken cancellationToken = default)
    {
        var server = new LocalCloudServer(options);
        await server._app.StartAsync(cancellationToken);
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose(); // writes what changed since the last flush
        _s3.Dispose(); // removes its temporary directory when there is no state directory
    }

    async Task HandleAsync(HttpContext http)
    {
        var clock = Stopwatch.StartNew();
        var requestId = Guid.NewGuid().ToString();
        var request = http.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var scope = SigV4Verifier.Scope(headers.GetValueOrDefault("authorization"));

        if (scope?.Service == "s3")
        {
            await HandleS3Async(http, body, headers, requestId, clock);
            return;
        }

        // Route: credential scope, then X-Amz-Target, then form Action.
        var form = ReadForm(request, body);
        ServiceHandler? service = null;
        if (scope != null) _services.TryGetValue(scope.Service, out service);
        var target = headers.GetValueOrDefault("x-amz-target");
        service ??= target == null ? null : _services.Values.FirstOrDefault(s => s.Model.TargetPrefix != null && target.StartsWith(s.Model.TargetPrefix + ".", StringComparison.Ordinal));
        service ??= form.TryGetValue("Version", out var version) ? _services.Values.FirstOrDefault(s => s.Model.ApiVersion == version && s.Model.Protocol is "query" or "ec2") : null;

        var protocol = service?.Model.Protocol ?? "query";
        var operation = "?";
        string? errorCode = null;
        // Logged as the response starts, so a client that has its answer always finds its call in the log.
        http.Response.OnStarting(() =>
        {
            Requests.Add(new LoggedRequest(DateTimeOffset.UtcNow, service?.Name ?? "?", operation, http.Response.StatusCode, errorCode, clock.Elapsed));
            return Task.CompletedTask;
        });
        try
        {
            if (service == null)
                throw new AwsError("UnknownService", $"The local cloud does not serve '{scope?.Service ?? target ?? request.Path}'.", 400);
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

            SigV4Verifier.Verify(request.Method, RawPath(http), request.QueryString.Value ?? "", headers, body, _secrets, DateTimeOffset.UtcNow, s3: false);

            if (!service.Model.Operations.TryGetValue(operation, out op))
                throw new AwsError(protocol == "json" ? "UnknownOperationException" : "InvalidAction", $"{service.Name} has no operation {operation}.", 400);
            var input = protocol switch
            {
                "json" => body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)?.AsObject() ?? new JsonObject(),
                "rest-xml" => WireCodec.DecodeRest(service.Model, op, labels!, Query(request), body),
                _ => WireCodec.DecodeQuery(service.Model, op.Input, form),
            };
            var context = new RequestContext(Options.Account, scope?.Region ?? Options.Region, requestId, Options.Clock.GetUtcNow(),
                new Uri($"http://{request.Host}"));
            var output = await service.HandleAsync(operation, input, context, http.RequestAborted);

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
            await WriteError(http, protocol, service?.Model, error, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errorCode = "InternalFailure";
            await WriteError(http, protocol, service?.Model, new AwsError("InternalFailure", $"Local cloud failure: {e.Message}", 500, sender: false), requestId);
        }
    }

    /// <summary>Applies the fault rule that fires for this call, if any: waits, then throws the service's throttling or a 5xx.</summary>
    async Task InjectFaultsAsync(string service, string operation, Func<AwsError> throttling, string serverErrorCode, CancellationToken cancellationToken)
    {
        if (Faults.Next(service, operation) is not { } fault) return;
        if (fault.Latency is { } latency) await Task.Delay(latency, cancellationToken);
        if (fault.Throttle) throw throttling();
        if (fault.ServerError is { } status)
            throw new AwsError(status == 503 && serverErrorCode == "InternalFailure" ? "ServiceUnavailable" : serverErrorCode, "Injected fault.", status, sender: false);
    }

    /// <summary>S3 speaks REST with its own error shape and signs the path as sent.</summary>
    async Task HandleS3Async(HttpContext http, byte[] body, Dictionary<string, string> headers, string requestId, Stopwatch clock)
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
            await InjectFaultsAsync("s3", operation, () => new AwsError("SlowDown", "Please reduce your request rate.", 503), "InternalError", http.RequestAborted);
            SigV4Verifier.Verify(request.Method, RawPath(http), request.QueryString.Value ?? "", headers, body, _secrets, DateTimeOffset.UtcNow, s3: true);
            var context = new RequestContext(Options.Account, Options.Region, requestId, Options.Clock.GetUtcNow(), new Uri($"http://{request.Host}"));
            http.Response.Headers["x-amz-request-id"] = requestId;
            await _s3.HandleAsync(http, new MemoryStream(body), context, http.RequestAborted);
        }
        catch (AwsError error)
        {
            errorCode = error.Code;
            await WriteError(http, "s3", null, error, requestId);
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
