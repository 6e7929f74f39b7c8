using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Ops.TestSupport;

/// <summary>
/// Builds an HTTP request signed with SigV4 by hand, with every part a test may want to get wrong on purpose (the
/// signing time, the scope's date, the signed headers, the declared payload hash). A test first shows that the
/// unaltered request succeeds, so a refusal of an altered one is the alteration's doing.
/// </summary>
public sealed record RawSignedRequest(Uri Endpoint, string Service, string Method, string PathAndQuery, byte[] Body)
{
    public string AccessKey { get; init; } = "test";
    public string SecretKey { get; init; } = "test";
    public string Region { get; init; } = "us-east-1";
    public DateTimeOffset SignedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Overrides the date of the credential scope (normally the date of <see cref="SignedAt"/>).</summary>
    public string? ScopeDate { get; init; }

    /// <summary>The value sent (and signed) as x-amz-content-sha256; null sends none and signs the body's hash.</summary>
    public string? DeclaredPayloadHash { get; init; }

    public bool SignHost { get; init; } = true;

    /// <summary>The Host header to send and sign instead of the endpoint's (a name rebound to 127.0.0.1, say).</summary>
    public string? HostHeader { get; init; }
    public bool Sign { get; init; } = true;
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string? ContentType { get; init; }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public HttpRequestMessage Build(HttpContent? contentOverride = null)
    {
        var uri = new Uri(Endpoint, PathAndQuery);
        var message = new HttpRequestMessage(new HttpMethod(Method), uri);
        var headers = HeadersFor(uri.AbsolutePath, uri.Query.TrimStart('?'), HostHeader ?? uri.Authority);
        if (HostHeader != null) message.Headers.Host = HostHeader;
        message.Content = contentOverride ?? new ByteArrayContent(Body);
        if (ContentType != null) message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        foreach (var (k, v) in headers)
            if (k is not ("host" or "content-type")) message.Headers.TryAddWithoutValidation(k, v);
        return message;
    }

    /// <summary>
    /// Every header to send (lower-case names; <c>authorization</c> last unless <see cref="Sign"/> is off), signed over
    /// <paramref name="rawPath"/> and <paramref name="rawQuery"/> exactly as given, so a test can send a path no HTTP
    /// client would leave alone.
    /// </summary>
    public SortedDictionary<string, string> HeadersFor(string rawPath, string rawQuery, string authority)
    {
        var amzDate = SignedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = authority,
            ["x-amz-date"] = amzDate,
        };
        foreach (var (k, v) in Headers) headers[k.ToLowerInvariant()] = v;
        if (DeclaredPayloadHash != null) headers["x-amz-content-sha256"] = DeclaredPayloadHash;
        if (ContentType != null) headers["content-type"] = ContentType;
        if (!Sign) return headers;

        var signed = headers.Keys.Where(h => SignHost || h != "host").ToList();
        var canonicalHeaders = string.Concat(signed.Select(h => $"{h}:{headers[h].Trim()}\n"));
        var canonicalQuery = string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=') ? p : p + "=").Order(StringComparer.Ordinal));
        var canonical = string.Join('\n', Method, rawPath, canonicalQuery, canonicalHeaders, string.Join(';', signed),
            DeclaredPayloadHash ?? Sha256(Body));
        var date = ScopeDate ?? amzDate[..8];
        var scope = $"{date}/{Region}/{Service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Sha256(Encoding.UTF8.GetBytes(canonical))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + SecretKey), date), Region), Service), "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, toSign));
        headers["authorization"] = $"AWS4-HMAC-SHA256 Credential={AccessKey}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}";
        return headers;
    }

    static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
