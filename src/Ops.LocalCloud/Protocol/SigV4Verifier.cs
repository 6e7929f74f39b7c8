using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ops.LocalCloud.Protocol;

/// <summary>
/// Checks AWS Signature Version 4 on a request against the configured key pairs, the way AWS does:
/// rebuild the canonical request from what arrived, derive the signing key, compare signatures.
/// </summary>
internal static partial class SigV4Verifier
{
    public sealed record Credential(string AccessKey, string Date, string Region, string Service);

    /// <summary>The credential scope of an Authorization header, or null when the request is not SigV4-signed.</summary>
    public static Credential? Scope(string? authorization)
    {
        if (authorization == null) return null;
        var m = AuthorizationHeader().Match(authorization);
        return m.Success ? new Credential(m.Groups["key"].Value, m.Groups["date"].Value, m.Groups["region"].Value, m.Groups["service"].Value) : null;
    }

    /// <summary>Throws the AWS error a real endpoint would send when the signature does not hold.</summary>
    public static void Verify(
        string method, string rawPath, string rawQuery, IReadOnlyDictionary<string, string> headers, byte[] body,
        IReadOnlyDictionary<string, string> secrets, DateTimeOffset now, bool s3)
    {
        if (!headers.TryGetValue("authorization", out var authorization))
            throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
        var m = AuthorizationHeader().Match(authorization);
        if (!m.Success)
            throw new AwsError("IncompleteSignature", "Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).", 403);
        var key = m.Groups["key"].Value;
        if (!secrets.TryGetValue(key, out var secret))
            throw new AwsError(s3 ? "InvalidAccessKeyId" : "UnrecognizedClientException",
                s3 ? "The AWS Access Key Id you provided does not exist in our records." : "The security token included in the request is invalid.", 403);

        var amzDate = headers.GetValueOrDefault("x-amz-date") ?? "";
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            throw new AwsError("IncompleteSignature", "X-Amz-Date is missing or not in yyyyMMddTHHmmssZ form.", 403);
        if ((now - signedAt).Duration() > TimeSpan.FromMinutes(15))
            throw new AwsError("RequestTimeTooSkewed", $"Signature expired or not yet valid: {amzDate} is more than 15 minutes from {now:yyyyMMdd'T'HHmmss'Z'}.", 403);

        var signedHeaders = m.Groups["signed"].Value.Split(';');
        var canonicalHeaders = string.Concat(signedHeaders.Select(h =>
            $"{h}:{Whitespace().Replace((headers.GetValueOrDefault(h) ?? "").Trim(), " ")}\n"));
        var payloadHash = headers.TryGetValue("x-amz-content-sha256", out var declared) && declared.Length == 64
            ? declared
            : headers.TryGetValue("x-amz-content-sha256", out var special) ? special : Hex(SHA256.HashData(body));
        if (declared is { Length: 64 } && declared != Hex(SHA256.HashData(body)))
            throw new AwsError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);

        var canonical = string.Join('\n',
            method,
            CanonicalPath(rawPath, s3),
            CanonicalQuery(rawQuery),
            canonicalHeaders,
            m.Groups["signed"].Value,
            payloadHash);
        var scope = $"{m.Groups["date"].Value}/{m.Groups["region"].Value}/{m.Groups["service"].Value}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signingKey = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), m.Groups["date"].Value), m.Groups["region"].Value), m.Groups["service"].Value), "aws4_request");
        var expected = Hex(Hmac(signingKey, stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(m.Groups["sig"].Value)))
            throw new AwsError("SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.", 403);
    }

    /// <summary>Non-S3 services encode each (already encoded) path segment once more; S3 uses the path as sent.</summary>
    static string CanonicalPath(string rawPath, bool s3)
    {
        if (rawPath.Length == 0) return "/";
        if (s3) return rawPath;
        return string.Join('/', rawPath.Split('/').Select(segment => Encode(segment)));
    }

    static string CanonicalQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery)) return "";
        return string.Join('&', rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=');
                var k = Uri.UnescapeDataString((eq < 0 ? p : p[..eq]).Replace('+', ' '));
                var v = eq < 0 ? "" : Uri.UnescapeDataString(p[(eq + 1)..].Replace('+', ' '));
                return (Key: Encode(k), Value: Encode(v));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX upper-case.</summary>
    internal static string Encode(string text)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
    static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256\s+Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request,\s*SignedHeaders=(?<signed>[^,]+),\s*Signature=(?<sig>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
