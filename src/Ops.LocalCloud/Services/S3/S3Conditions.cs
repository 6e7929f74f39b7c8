using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Services.S3;

/// <summary>If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since on GET and HEAD, evaluated in S3's (RFC 7232's) order.</summary>
internal static class S3Conditions
{
    /// <summary>True when the client's copy is current (answer 304); PreconditionFailed (412) when a precondition fails.</summary>
    public static bool NotModified(IHeaderDictionary headers, S3ObjectHeader o)
    {
        var modified = Truncate(o.LastModified);
        var ifMatch = headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (!Matches(ifMatch, o.ETag)) throw Failed("If-Match");
        }
        else if (Date(headers.IfUnmodifiedSince) is { } unmodifiedSince && modified > unmodifiedSince) throw Failed("If-Unmodified-Since");

        var ifNoneMatch = headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0) return Matches(ifNoneMatch, o.ETag);
        return Date(headers.IfModifiedSince) is { } modifiedSince && modified <= modifiedSince;
    }

    static bool Matches(string header, string etag) =>
        header.Split(',').Select(t => t.Trim()).Any(t => t == "*" || (t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t).Trim('"') == etag.Trim('"'));

    static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    static DateTimeOffset Truncate(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    static AwsError Failed(string header) => new("PreconditionFailed", $"At least one of the pre-conditions you specified did not hold: {header}.", 412);
}
