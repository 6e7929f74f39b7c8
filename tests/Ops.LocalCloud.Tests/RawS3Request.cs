using System.Globalization;
using System.Net.Sockets;
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

    public static async Task<Response> SendAsync(Uri endpoint, string method, string rawTarget, byte[]? body = null,
        IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        body ??= [];
        var query = rawTarget.IndexOf('?');
        var request = new RawSignedRequest(endpoint, "s3", method, rawTarget, body)
        {
            DeclaredPayloadHash = RawSignedRequest.Sha256(body),
            Headers = extraHeaders ?? new Dictionary<string, string>(),
        };
        var headers = request.HeadersFor(query < 0 ? rawTarget : rawTarget[..query], query < 0 ? "" : rawTarget[(query + 1)..], $"{endpoint.Host}:{endpoint.Port}");

        var head = new StringBuilder($"{method} {rawTarget} HTTP/1.1\r\n");
        foreach (var (k, v) in headers) head.Append($"{k}: {v}\r\n");
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
}
