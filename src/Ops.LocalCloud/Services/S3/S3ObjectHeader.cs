namespace Ops.LocalCloud.Services.S3;

/// <summary>What S3 keeps about an object beside its bytes: its key, ETag, size, time, content headers and user metadata.</summary>
internal sealed record S3ObjectHeader
{
    public string Key { get; init; } = "";
    public string ETag { get; init; } = "";
    public long Size { get; init; }
    public DateTimeOffset LastModified { get; init; }
    public string ContentType { get; init; } = "binary/octet-stream";

    /// <summary>Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires as sent.</summary>
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>x-amz-meta-* without the prefix, names lower-cased.</summary>
    public Dictionary<string, string> UserMetadata { get; init; } = new();
}
