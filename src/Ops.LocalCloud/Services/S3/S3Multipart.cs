using System.Security.Cryptography;
using System.Text.Json;

using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.S3;

/// <summary>
/// Multipart uploads: each upload a private directory of part files (in the object file format) plus its description;
/// completion concatenates the parts into the object durably, then removes the upload.
/// </summary>
internal sealed class S3Multipart(S3ObjectStore store)
{
    public const long MinimumPartSize = 5 * 1024 * 1024;
    public const int MaximumPartNumber = 10000;

    string UploadDirectory(string uploadId) => Path.Combine(store.UploadsDirectory, uploadId);

    static string PartPath(string directory, int partNumber) => Path.Combine(directory, $"part-{partNumber:D5}");

    public S3Upload Create(string bucket, S3ObjectHeader target, DateTimeOffset now)
    {
        store.RequireBucket(bucket);
        var upload = new S3Upload { UploadId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), Bucket = bucket, Initiated = now,
            Object = target };
        var directory = UploadDirectory(upload.UploadId);
        DurableFiles.CreatePrivateDirectory(store.UploadsDirectory);   // parents would get the default mode
        DurableFiles.CreatePrivateDirectory(directory);
        DurableFiles.WriteAtomically(Path.Combine(directory, "upload.json"), JsonSerializer.SerializeToUtf8Bytes(upload));
        return upload;
    }

    /// <summary>The upload <paramref name="uploadId"/> of this bucket and key, or NoSuchUpload (404).</summary>
    public S3Upload Find(string bucket, string key, string uploadId)
    {
        store.RequireBucket(bucket);
        var noSuchUpload = new AwsError("NoSuchUpload", $"The specified multipart upload does not exist: upload ID '{uploadId}' for key '{key}'. It may have been aborted or completed.", 404);
        if (uploadId.Length != 48 || !uploadId.All(char.IsAsciiHexDigitLower)) throw noSuchUpload; // ids name directories: only our own shape gets near one
        var file = Path.Combine(UploadDirectory(uploadId), "upload.json");
        S3Upload? upload;
        try
        {
            upload = JsonSerializer.Deserialize<S3Upload>(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw noSuchUpload;
        }
        return upload != null && upload.Bucket == bucket && upload.Object.Key == key ? upload : throw noSuchUpload;
    }

    public static int PartNumber(string? text) =>
        int.TryParse(text, out var n) && n is >= 1 and <= MaximumPartNumber
            ? n
            : throw new AwsError("InvalidArgument", $"Part number must be an integer between 1 and {MaximumPartNumber}, inclusive (got '{text}').", 400);

    public Task<S3ObjectHeader> WritePartAsync(S3Upload upload, int partNumber, Func<Stream, CancellationToken, Task<string>> writeData, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        S3ObjectFile.WriteAsync(PartPath(UploadDirectory(upload.UploadId), partNumber), writeData,
            (size, etag) => new S3ObjectHeader { Key = partNumber.ToString(), ETag = etag, Size = size, LastModified = now }, cancellationToken);

    /// <summary>The parts uploaded so far, by part number.</summary>
    public IReadOnlyList<(int Number, S3ObjectHeader Part)> Parts(S3Upload upload)
    {
        var parts = new List<(int, S3ObjectHeader)>();
        foreach (var file in Directory.EnumerateFiles(UploadDirectory(upload.UploadId), "part-*"))
            if (int.TryParse(Path.GetFileName(file)["part-".Length..], out var number) && S3ObjectFile.TryReadHeader(file) is { } header)
                parts.Add((number, header));
        return parts.OrderBy(p => p.Item1).ToList();
    }

    /// <summary>Checks the client's part list against the parts uploaded, then writes the object and removes the upload.</summary>
    public async Task<S3ObjectHeader> CompleteAsync(S3Upload upload, IReadOnlyList<(int Number, string ETag)> requested, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (requested.Count == 0)
            throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: a multipart upload needs at least one part.", 400);
        for (var i = 1; i < requested.Count; i++)
            if (requested[i].Number <= requested[i - 1].Number)
                throw new AwsError("InvalidPartOrder", $"The list of parts was not in ascending order: part {requested[i].Number} follows part {requested[i - 1].Number}.", 400);
        var uploaded = Parts(upload).ToDictionary(p => p.Number, p => p.Part);
        var directory = UploadDirectory(upload.UploadId);
        var chosen = new List<(string Path, S3ObjectHeader Part)>();
        for (var i = 0; i < requested.Count; i++)
        {
            var (number, etag) = requested[i];
            if (!uploaded.TryGetValue(number, out var part) || part.ETag.Trim('"') != etag.Trim().Trim('"'))
                throw new AwsError("InvalidPart", $"One or more of the specified parts could not be found: part {number} with ETag {etag} was not uploaded (or has another ETag).", 400);
            if (i < requested.Count - 1 && part.Size < MinimumPartSize)
                throw new AwsError("EntityTooSmall", $"Your proposed upload is smaller than the minimum allowed object size: part {number} is {part.Size} bytes; every part but the last must be at least 5 MiB.", 400);
            chosen.Add((PartPath(directory, number), part));
        }

        var written = await store.WriteAsync(upload.Bucket, upload.Object.Key, async (destination, ct) =>
        {
            foreach (var (path, _) in chosen)
            {
                using var stored = S3ObjectFile.Open(path) ?? throw new AwsError("InvalidPart", $"Part file {Path.GetFileName(path)} vanished while completing.", 400);
                await stored.CopyToAsync(destination, 0, stored.Header.Size, ct);
            }
            var md5s = chosen.SelectMany(c => Convert.FromHexString(c.Part.ETag.Trim('"'))).ToArray();
            return S3ObjectFile.Quote($"{Convert.ToHexStringLower(MD5.HashData(md5s))}-{chosen.Count}");
        }, (size, etag) => upload.Object with { ETag = etag, Size = size, LastModified = now }, cancellationToken);
        Abort(upload);
        return written;
    }

    public void Abort(S3Upload upload)
    {
        Directory.Delete(UploadDirectory(upload.UploadId), recursive: true);
        DurableFiles.FlushDirectory(store.UploadsDirectory);
    }
}
