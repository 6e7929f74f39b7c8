using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// A correctly SigV4-signed S3 request sent over a bare socket with its request target exactly as given (no client
/// normalises "..", "%2E" or "%25"), the way an attacker or an odd client would send it.
/// </summary>
internal static class RawS3Request
{
    public sealed record Response(int Status, Dictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    public static async Task<Response> SendAsync(Uri endpoint, string method, string rawTarget, byte[]? body = null, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        body ??= [];
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = $"{endpoint.Host}:{endpoint.Port}";
        var payloadHash = Hex(SHA256.HashData(body));
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host, ["x-amz-content-sha256"] = payloadHash, ["x-amz-date"] = amzDate,
        };
        foreach (var (k, v) in extraHeaders ?? new Dictionary<string, string>()) headers[k.ToLowerInvariant()] = v;
        var query = rawTarget.IndexOf('?');
        var path = query < 0 ? rawTarget : rawTarget[..query];
        var rawQuery = query < 0 ? "" : rawTarget[(query + 1)..];
        var canonicalQuery = string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=') ? p : p + "=").Order(StringComparer.Ordinal));
        var signed = string.Join(';', headers.Keys);
        var canonical = string.Join('\n', method, path, canonicalQuery, string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n")), signed, payloadHash);
        var scope = $"{date}/us-east-1/s3/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4test");
        foreach (var part in new[] { date, "us-east-1", "s3", "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));

        var head = new StringBuilder($"{method} {rawTarget} HTTP/1.1\r\n");
        foreach (var (k, v) in headers) head.Append($"{k}: {v}\r\n");
        head.Append($"authorization: AWS4-HMAC-SHA256 Credential=test/{scope}, SignedHeaders={signed}, Signature={signature}\r\n");
        head.Append($"content-length: {body.Length}\r\nconnection: close\r\n\r\n");

        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received);
        return Parse(received.ToArray(), method);
    }

    static Response Parse(byte[] raw, string method)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = raw[(end + 4)..];
        if (headers.GetValueOrDefault("transfer-encoding") == "chunked") body = Dechunk(body);
        return new Response(status, headers, method == "HEAD" ? [] : body);
    }

    static byte[] Dechunk(byte[] body)
    {
        using var output = new MemoryStream();
        var pos = 0;
        while (true)
        {
            var lineEnd = body.AsSpan(pos).IndexOf("\r\n"u8) + pos;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, pos, lineEnd - pos).Split(';')[0], 16);
            pos = lineEnd + 2;
            if (size == 0) return output.ToArray();
            output.Write(body, pos, size);
            pos += size + 2;
        }
    }

    static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
