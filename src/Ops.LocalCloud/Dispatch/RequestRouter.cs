using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Ops.Contracts;
using Ops.LocalCloud.Diagnostics;
using Ops.LocalCloud.Protocol;
using Ops.LocalCloud.Services;
using Ops.LocalCloud.Services.Iam;
using Ops.LocalCloud.Services.S3;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Dispatch;

/// <summary>
/// Every request, in AWS's order: refuse strangers, answer the unsigned endpoints (probe, credentials, task metadata),
/// authenticate from the headers, read the body (bounded), check the signature over it, route by the signed scope, apply
/// injected faults, decode by protocol, authorise, handle, wait until the change is durable, answer.
/// </summary>
internal sealed class RequestRouter(
    LocalCloudOptions options, IReadOnlyDictionary<string, ServiceHandler> services, IamGate gate, CredentialsEndpoint credentials,
    StateStore store, S3Service s3, Tasks.ProcessTaskRunner? tasks, bool webProcesses, LoopbackHosts hosts, RequestLog log, FaultInjector faults)
{
    /// <summary>The largest request body a service other than S3 reads (AWS's own limits are far lower; SQS's handler checks its 1 MiB).</summary>
    public const long MaxRequestBytes = 16 * 1024 * 1024;

    /// <summary>SQS bodies carry at most 1 MiB of messages; a little more leaves room for JSON escaping and attributes.</summary>
    public const long MaxSqsRequestBytes = 3 * 1024 * 1024;

    /// <summary>S3's largest single PUT.</summary>
    public const long MaxS3ObjectBytes = 5L * 1024 * 1024 * 1024;

    public async Task HandleAsync(HttpContext http)
    {
        if (!hosts.Accepts(http.Request.Headers.Host.ToString()))
        {
            await ErrorResponses.RefuseAsync(http, log, LoopbackHosts.Refusal(http.Request.Headers.Host.ToString()));
            return;
        }
        if (RequestParts.FromBrowser(http.Request))
        {
            await ErrorResponses.RefuseAsync(http, log,
                "Requests from web pages are refused: the local cloud answers AWS clients (SDKs, the aws CLI), which send no Origin or Sec-Fetch-* header, and never grants CORS.");
            return;
        }
        if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path.Equals(LocalCloudProbe.Path, StringComparison.Ordinal))
        {
            await Results.Json(new Dictionary<string, string> { ["cloud"] = LocalCloudProbe.Name, ["tasks"] = LocalCloudProbe.TasksAsProcesses }).ExecuteAsync(http);
            return;
        }
        if (http.Request.Path.StartsWithSegments(CredentialsEndpoint.Prefix))
        {
            await credentials.HandleAsync(http); // as ECS's agent: no signature, the path's token is the process's
            return;
        }
        if (tasks != null && http.Request.Path.StartsWithSegments(Tasks.TaskMetadataEndpoint.Prefix))
        {
            await tasks.Metadata.HandleAsync(http); // as on ECS: no signature, the path's token is the container's
            return;
        }
        var clock = Stopwatch.StartNew();
        var requestId = Guid.NewGuid().ToString();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var scope = SigV4Verifier.Scope(headers.GetValueOrDefault("authorization"));
        var target = headers.GetValueOrDefault("x-amz-target");
        if (scope?.Service == "s3" || (scope == null && target == null && !RequestParts.LooksLikeQuery(http.Request)))
            await HandleS3Async(http, headers, requestId, clock);
        else
            await HandleServiceAsync(http, headers, scope, target, requestId, clock);
    }

    /// <summary>Every service but S3: json, query, ec2 and rest-xml (CloudFront), routed by the signed scope.</summary>
    async Task HandleServiceAsync(HttpContext http, Dictionary<string, string> headers, SigV4Verifier.Credential? scope, string? target, string requestId,
        Stopwatch clock)
    {
        var request = http.Request;
        // The service named by the signed scope; without a usable scope only the error's dialect is chosen.
        ServiceHandler? service = null;
        if (scope != null) services.TryGetValue(scope.Service, out service);
        var dialect = service ?? (target == null ? null
            : services.Values.FirstOrDefault(s => s.Model.TargetPrefix != null && target.StartsWith(s.Model.TargetPrefix + ".", StringComparison.Ordinal)));
        var protocol = dialect?.Model.Protocol ?? (target != null ? AwsProtocol.Json : AwsProtocol.Query);
        var operation = "?";
        string? errorCode = null;
        // Logged as the response starts, so a client that has its answer always finds its call in the log.
        http.Response.OnStarting(() =>
        {
            log.Add(new LoggedRequest(DateTimeOffset.UtcNow, service?.Name ?? dialect?.Name ?? "?", operation, http.Response.StatusCode, errorCode,
                clock.Elapsed));
            return Task.CompletedTask;
        });
        try
        {
            var signature = SigV4Verifier.Authenticate(headers, gate.SecretOf, DateTimeOffset.UtcNow, s3: false);
            var session = gate.SessionOf(signature.Credential.AccessKey, headers, json: protocol == AwsProtocol.Json);
            if (service == null)
                throw new AwsError("UnknownService", $"The local cloud does not serve '{scope!.Service}' (signed scope {scope.Date}/{scope.Region}/{scope.Service}).", 400);
            var body = await RequestParts.ReadBodyAsync(request, service.Name == "sqs" ? MaxSqsRequestBytes : MaxRequestBytes, http.RequestAborted);
            SigV4Verifier.Verify(signature, request.Method, RequestParts.RawPath(http), request.QueryString.Value ?? "", headers,
                Convert.ToHexStringLower(SHA256.HashData(body)), s3: false);

            var form = RequestParts.ReadForm(request, body);
            (operation, var rest, var labels) = ProtocolDialect.OperationOf(protocol, service, request, target, form);
            await InjectFaultsAsync(service.Model.SigningName, operation, service.Throttling, "InternalFailure", http.RequestAborted);
            var op = rest ?? (service.Model.Operations.TryGetValue(operation, out var named) ? named
                : throw ProtocolDialect.UnknownOperation(protocol, service.Name, operation));
            if (signature.Credential.AccessKey != options.AccessKey && StartsProgram(service.Model.SigningName, operation))
                throw new AwsError("AccessDenied",
                    $"{operation} starts a program on this machine, so it needs the local cloud's operator keys, not the public '{signature.Credential.AccessKey}' ones: " +
                    $"source {OperatorCredentials.EnvFileName} in the local cloud's state directory (./build.sh local-cloud prints how). The public keys serve everything that starts nothing.", 403);
            var input = ProtocolDialect.Decode(protocol, service.Model, op, labels, request, body, form);
            gate.Authorize(session, service.Model.SigningName, operation, input, protocol, scope!.Region);
            var context = new RequestContext(options.Account, scope.Region, requestId, options.Clock.GetUtcNow(), new Uri($"http://{request.Host}"))
            {
                Caller = session?.AssumedRoleArn,
                CallerIsOperator = signature.Credential.AccessKey == options.AccessKey,
            };
            var changes = store.BeginRequest();
            var output = await service.HandleAsync(operation, input, context, http.RequestAborted);
            // Acknowledge only what would survive a crash now.
            await store.WhenDurableAsync(changes, http.RequestAborted);
            http.Response.Headers["x-amzn-RequestId"] = requestId;
            await ProtocolDialect.WriteAsync(protocol, service.Model, op, output, requestId, http.Response);
        }
        catch (AwsError error)
        {
            errorCode = error.Code;
            await ErrorResponses.WriteAsync(http, protocol, dialect?.Model, error, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errorCode = "InternalFailure";
            await ErrorResponses.WriteAsync(http, protocol, dialect?.Model, new AwsError("InternalFailure", $"Local cloud failure: {e.Message}", 500, sender: false), requestId);
        }
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
            log.Add(new LoggedRequest(DateTimeOffset.UtcNow, "s3", operation, http.Response.StatusCode, errorCode, clock.Elapsed));
            return Task.CompletedTask;
        });
        try
        {
            var signature = SigV4Verifier.Authenticate(headers, gate.SecretOf, DateTimeOffset.UtcNow, s3: true);
            var session = gate.SessionOf(signature.Credential.AccessKey, headers, json: false);
            var declared = headers["x-amz-content-sha256"];
            SigV4Verifier.Verify(signature, request.Method, RequestParts.RawPath(http), request.QueryString.Value ?? "", headers, declared, s3: true);
            gate.AuthorizeS3(session, request.Method, RequestParts.RawPath(http), request.Query.Keys, signature.Credential.Region);
            if (request.ContentLength > MaxS3ObjectBytes)
                throw new AwsError("EntityTooLarge", $"Your proposed upload exceeds the maximum allowed size of {MaxS3ObjectBytes} bytes.", 400);
            await InjectFaultsAsync("s3", operation, () => new AwsError("SlowDown", "Please reduce your request rate.", 503), "InternalError", http.RequestAborted);
            await using var body = SigV4Verifier.IsHexHash(declared) ? new PayloadHashStream(request.Body, declared) : request.Body;
            var context = new RequestContext(options.Account, signature.Credential.Region, requestId, options.Clock.GetUtcNow(), new Uri($"http://{request.Host}"))
            {
                Caller = session?.AssumedRoleArn,
                CallerIsOperator = signature.Credential.AccessKey == options.AccessKey,
            };
            http.Response.Headers["x-amz-request-id"] = requestId;
            await s3.HandleAsync(http, body, context, http.RequestAborted);
        }
        catch (AwsError error) when (!http.Response.HasStarted)
        {
            errorCode = error.Code;
            await ErrorResponses.WriteS3Async(http, error, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            errorCode = "InternalError";
            await ErrorResponses.WriteS3Async(http, new AwsError("InternalError", $"Local cloud failure: {e.Message}", 500, sender: false), requestId);
        }
    }

    /// <summary>
    /// Whether <paramref name="operation"/> would start (or decide) a program on this machine: tasks and services where
    /// tasks are real processes, Elastic Beanstalk environments and the versions they run where web processes are real,
    /// and the servers behind RDS, Redshift and ElastiCache where those are real. Bookkeeping-only parts start nothing.
    /// </summary>
    bool StartsProgram(string service, string operation) => service switch
    {
        "ecs" => (tasks != null || options.Backends.Tasks != null) && operation is "CreateService" or "UpdateService" or "RunTask" or "StartTask"
            or "RegisterContainerInstance" or "UpdateContainerInstancesState",
        "elasticbeanstalk" => webProcesses && operation is "CreateEnvironment" or "UpdateEnvironment" or "CreateApplicationVersion" or "DeleteApplicationVersion",
        "rds" => options.Backends.Databases != null && operation is "CreateDBInstance" or "ModifyDBInstance" or "RebootDBInstance",
        "redshift" => options.Backends.Warehouses != null && operation is "CreateCluster" or "ModifyCluster",
        "elasticache" => options.Backends.Caches != null && operation is "CreateCacheCluster" or "CreateReplicationGroup" or "ModifyCacheCluster" or "ModifyReplicationGroup",
        _ => false,
    };

    /// <summary>Applies the fault rule that fires for this call, if any: waits, then throws the service's throttling or a 5xx.</summary>
    async Task InjectFaultsAsync(string service, string operation, Func<AwsError> throttling, string serverErrorCode, CancellationToken cancellationToken)
    {
        if (faults.Next(service, operation) is not { } fault) return;
        if (fault.Latency is { } latency) await Task.Delay(latency, cancellationToken);
        if (fault.Throttle) throw throttling();
        if (fault.ServerError is { } status)
            throw new AwsError(status == 503 && serverErrorCode == "InternalFailure" ? "ServiceUnavailable" : serverErrorCode, "Injected fault.", status, sender: false);
    }
}
