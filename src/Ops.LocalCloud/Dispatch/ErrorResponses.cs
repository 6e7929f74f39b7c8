using Microsoft.AspNetCore.Http;
using Ops.Contracts;
using Ops.LocalCloud.Diagnostics;
using Ops.LocalCloud.Protocol;

namespace Ops.LocalCloud.Dispatch;

/// <summary>How an error is written: in the request's protocol (or S3's own shape), with its request id, logged when refused before routing.</summary>
internal static class ErrorResponses
{
    /// <summary>Writes <paramref name="error"/> in <paramref name="protocol"/>'s shape (the service's <paramref name="model"/> when known).</summary>
    public static Task WriteAsync(HttpContext http, AwsProtocol protocol, ServiceModel? model, AwsError error, string requestId) =>
        WriteAsync(http, WireCodec.EncodeError(protocol, model, error, requestId), error.Status, requestId);

    /// <summary>Writes <paramref name="error"/> in S3's error shape.</summary>
    public static Task WriteS3Async(HttpContext http, AwsError error, string requestId) =>
        WriteAsync(http, WireCodec.EncodeS3Error(error, requestId), error.Status, requestId);

    /// <summary>
    /// A caller the endpoint does not serve (a non-loopback Host, a web page): 403 in the dialect the request looks like,
    /// before anything else is read, and a line in the request log.
    /// </summary>
    public static Task RefuseAsync(HttpContext http, RequestLog log, string message)
    {
        var requestId = Guid.NewGuid().ToString();
        var error = new AwsError("AccessDenied", message, 403);
        log.Add(new LoggedRequest(DateTimeOffset.UtcNow, "?", "?", 403, error.Code, TimeSpan.Zero));
        if (http.Request.Headers.ContainsKey("x-amz-target")) return WriteAsync(http, AwsProtocol.Json, null, error, requestId);
        return RequestParts.LooksLikeQuery(http.Request) ? WriteAsync(http, AwsProtocol.Query, null, error, requestId) : WriteS3Async(http, error, requestId);
    }

    static async Task WriteAsync(HttpContext http, (string ContentType, string Body, Dictionary<string, string> Headers) encoded, int status, string requestId)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = encoded.ContentType;
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        foreach (var (k, v) in encoded.Headers) http.Response.Headers[k] = v;
        await http.Response.WriteAsync(encoded.Body);
    }
}
