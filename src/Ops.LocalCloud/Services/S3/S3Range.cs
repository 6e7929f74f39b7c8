using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Services.S3;

/// <summary>The byte range a GET asks for ("bytes=a-b", "bytes=a-", "bytes=-n"), resolved against the object's size.</summary>
internal sealed record S3Range(long Start, long Length)
{
    public long End => Start + Length - 1;

    /// <summary>The range to serve; null for the whole object (no header, or one S3 ignores: malformed or several ranges).
    /// A range that starts past the end is InvalidRange (416) with "Content-Range: bytes */size" set on the response.</summary>
    public static S3Range? Resolve(string? header, long size, HttpResponse response)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',')) return null;
        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        long start, end;
        if (first.Length == 0)
        {
            if (!TryParse(last, out var suffix)) return null;
            if (suffix == 0 || size == 0) throw Unsatisfiable(header, size, response);
            start = Math.Max(0, size - suffix);
            end = size - 1;
        }
        else
        {
            if (!TryParse(first, out start)) return null;
            if (last.Length == 0) end = size - 1;
            else if (!TryParse(last, out end) || end < start) return null;
            if (start >= size) throw Unsatisfiable(header, size, response);
            end = Math.Min(end, size - 1);
        }
        return new S3Range(start, end - start + 1);
    }

    static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    static AwsError Unsatisfiable(string header, long size, HttpResponse response)
    {
        response.Headers.ContentRange = $"bytes */{size}";
        return new AwsError("InvalidRange", $"The requested range is not satisfiable: '{header}' for an object of {size} bytes.", 416);
    }
}
