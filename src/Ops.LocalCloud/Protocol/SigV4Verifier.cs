using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ops.LocalCloud.Protocol;

/// <summary>
/// Checks AWS Signature Version 4 the way AWS does, in two steps: <see cref="Authenticate"/> looks only at headers
/// (present, well formed, a known key, the scope's date equal to X-Amz-Date, within 15 minutes, host signed) so a
/// request is refused before its body is read; <see cref="Verify"/> rebuilds the canonical request with the payload
/// hash and compares signatures.
/// </summary>
internal static partial class SigV4Verifier
{
    public sealed record Credential(string AccessKey, string Date, string Region, string Service);

    /// <summary>A request whose headers passed <see cref="Authenticate"/>: what <see cref="Verify"/> needs.</summary>
    public sealed record Signature(Credential Credential, string Secret, string AmzDate, string SignedHeaders, string Value);

    /// <summary>S3's payload-hash forms other than a hex SHA-256.</summary>
    static readonly HashSet<string> S3SpecialPayloads =
    [
        "UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
    ];

    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    /// <summary>The credential scope of an Authorization header, or null when the request is not SigV4-signed.</summary>
    public static Credential? Scope(string? authorization)
    {
        if (authorization == null) return null;
        var m = AuthorizationHeader().Match(authorization);
        return m.Success ? new Credential(m.Groups["key"].Value, m.Groups["date"].Value, m.Groups["region"].Value, m.Groups["service"].Value) : null;
    }

    /// <summary>Everything that can be checked from the headers alone; throws the error AWS sends for the first problem.</summary>
    public static Signature Authenticate(IReadOnlyDictionary<string, string> headers, Func<string, string?> secretOf, DateTimeOffset now, bool s3)
    {
        if (!headers.TryGetValue("authorization", out var authorization))
            throw s3
                ? new AwsError("AccessDenied", "Anonymous access is not allowed: sign the request with AWS Signature Version 4.", 403)
                : new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403) { QueryCode = "MissingAuthenticationToken" };
        var m = AuthorizationHeader().Match(authorization);
        if (!m.Success)
            throw Malformed(s3, "the Authorization header must be 'AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...'.");
        var credential = new Credential(m.Groups["key"].Value, m.Groups["date"].Value, m.Groups["region"].Value, m.Groups["service"].Value);
        if (secretOf(credential.AccessKey) is not { } secret)
            throw s3
                ? new AwsError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403)
                : new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.", 403);

        var amzDate = headers.GetValueOrDefault("x-amz-date") ?? "";
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            throw Malformed(s3, "X-Amz-Date is missing or not in the form yyyyMMddTHHmmssZ.");
        if (amzDate[..8] != credential.Date)
            throw s3
                ? new AwsError("AuthorizationHeaderMalformed", $"The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date ({credential.Date} != {amzDate[..8]}).", 400)
                : new AwsError("SignatureDoesNotMatch", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{credential.Date}' != '{amzDate[..8]}', from '{amzDate}'.", 403);
        if (now - signedAt > AllowedSkew)
            throw Skewed(s3, $"Signature expired: {amzDate} is now earlier than {now - AllowedSkew:yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 15 min.)");
        if (signedAt - now > AllowedSkew)
            throw Skewed(s3, $"Signature not yet current: {amzDate} is still later than {now + AllowedSkew:yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} + 15 min.)");

        var signedHeaders = m.Groups["signed"].Value;
        if (!signedHeaders.Split(';').Contains("host"))
            throw s3
                ? new AwsError("AccessDenied", "There were headers present in the request which were not signed: host.", 403)
                : new AwsError("IncompleteSignature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", 403);
        var missing = signedHeaders.Split(';').FirstOrDefault(h => !headers.ContainsKey(h));
        if (missing != null)
            throw new AwsError("SignatureDoesNotMatch", $"The request signs header '{missing}', which the request does not carry.", 403);

        if (s3)
        {
            var declared = headers.GetValueOrDefault("x-amz-content-sha256")
                ?? throw new AwsError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", 400);
            if (!IsHexHash(declared) && !S3SpecialPayloads.Contains(declared))
                throw new AwsError("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD (or another STREAMING- form), or a valid sha256 value.", 400);
        }
        return new Signature(credential, secret, amzDate, signedHeaders, m.Groups["sig"].Value);
    }

    /// <summary>
    /// Compares the signature with one computed over the canonical request. <paramref name="payloadHash"/> is the
    /// SHA-256 of the body outside S3 (whatever the request declared); for S3 it is the declared x-amz-content-sha256,
    /// whose match with the body the caller checks while streaming it.
    /// </summary>
    public static void Verify(Signature signature, string method, string rawPath, string rawQuery, IReadOnlyDictionary<string, string> headers,
        string payloadHash, bool s3)
    {
        if (!s3 && headers.TryGetValue("x-amz-content-sha256", out var declared) && declared != payloadHash)
            throw new AwsError("SignatureDoesNotMatch",
                declared.StartsWith("UNSIGNED", StringComparison.Ordinal) || declared.StartsWith("STREAMING", StringComparison.Ordinal)
                    ? $"{declared} is accepted by S3 only; {signature.Credential.Service} requests sign the SHA-256 of their payload."
                    : "The provided 'x-amz-content-sha256' header does not match what was computed.", 403);

        var canonicalHeaders = string.Concat(signature.SignedHeaders.Split(';').Select(h =>
            $"{h}:{Whitespace().Replace((headers.GetValueOrDefault(h) ?? "").Trim(), " ")}\n"));
        var canonical = string.Join('\n',
            method,
            CanonicalPath(rawPath, s3),
            CanonicalQuery(rawQuery),
            canonicalHeaders,
            signature.SignedHeaders,
            payloadHash);
        var c = signature.Credential;
        var scope = $"{c.Date}/{c.Region}/{c.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{signature.AmzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signingKey = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + signature.Secret), c.Date), c.Region), c.Service), "aws4_request");
        var expected = Hex(Hmac(signingKey, stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.Value)))
            throw new AwsError("SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.", 403);
    }

    public static bool IsHexHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    static AwsError Malformed(bool s3, string detail) => s3
        ? new AwsError("AuthorizationHeaderMalformed", "The authorization header is malformed; " + detail, 400)
        : new AwsError("IncompleteSignature", "Authorization header requires 'Credential', 'Signature', 'SignedHeaders' and a valid X-Amz-Date: " + detail, 403);

    static AwsError Skewed(bool s3, string detail) => s3
        ? new AwsError("RequestTimeTooSkewed", "The difference between the request time and the current time is too large. " + detail, 403)
        : new AwsError("SignatureDoesNotMatch", detail, 403);

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
