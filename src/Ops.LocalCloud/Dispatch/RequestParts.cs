using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Dispatch;

/// <summary>Reading a request: its body within a limit, its form, its query, the path as signed, and what kind of caller sent it.</summary>
internal static class RequestParts
{
    /// <summary>A browser marks every request it sends for a page; no AWS client does.</summary>
    public static bool FromBrowser(HttpRequest request) =>
        request.Headers.ContainsKey("Origin") || request.Headers.ContainsKey("Sec-Fetch-Mode") || request.Headers.ContainsKey("Sec-Fetch-Site");

    /// <summary>A request without a signature that names a query Action (form or query string) rather than an S3 path.</summary>
    public static bool LooksLikeQuery(HttpRequest request) =>
        request.Query.ContainsKey("Action")
        || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Reads a body of at most <paramref name="limit"/> bytes; a larger one is refused (413) before it is buffered.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            // The usual case (every AWS SDK sends a length): one array of exactly that size, no copy.
            if (length > limit) throw TooLarge(length, limit);
            var body = new byte[length];
            var read = 0;
            while (read < body.Length && await request.Body.ReadAsync(body.AsMemory(read), cancellationToken) is var n and > 0) read += n;
            return read == body.Length ? body : body[..read];
        }
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + n > limit) throw TooLarge(null, limit);
                buffer.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    static AwsError TooLarge(long? length, long limit) => new("RequestEntityTooLarge",
        $"The request body{(length is { } l ? $" ({l} bytes)" : "")} is larger than the {limit / (1024 * 1024)} MiB this endpoint accepts.", 413);

    /// <summary>The path exactly as the client sent (and signed) it.</summary>
    public static string RawPath(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget?.Split('?')[0] ?? http.Request.Path.Value ?? "/";

    public static Dictionary<string, string> Query(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());

    /// <summary>Query string and form body together (the query protocols accept both).</summary>
    public static Dictionary<string, string> ReadForm(HttpRequest request, byte[] body)
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
