namespace Ops.LocalCloud.Services.S3;

/// <summary>A multipart upload in progress: where it will land and the header the finished object gets.</summary>
internal sealed record S3Upload
{
    public string UploadId { get; init; } = "";
    public string Bucket { get; init; } = "";
    public DateTimeOffset Initiated { get; init; }

    /// <summary>Key, content type, headers and user metadata of the object to be; ETag and size come at completion.</summary>
    public S3ObjectHeader Object { get; init; } = new();
}
