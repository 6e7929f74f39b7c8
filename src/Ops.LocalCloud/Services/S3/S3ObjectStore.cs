using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.S3;

/// <summary>
/// Buckets as directories and objects as files on disk, under the state directory's <c>s3/</c> (or a private temporary
/// directory, deleted on dispose, when there is none). Bucket names reach here validated; keys only ever become hashes.
/// No lock: every write is a rename, so readers see an old or a new object, never a mix.
/// </summary>
internal sealed class S3ObjectStore : IDisposable
{
    readonly bool _temporary;

    public S3ObjectStore(string? stateDirectory)
    {
        if (stateDirectory == null)
        {
            Root = Directory.CreateTempSubdirectory("ops-localcloud-s3-").FullName; // mkdtemp: 0700
            _temporary = true;
        }
        else
        {
            Root = Path.Combine(Path.GetFullPath(stateDirectory), "s3");
            DurableFiles.CreatePrivateDirectory(Root);
        }
    }

    /// <summary>The directory everything S3 stores lives under.</summary>
    public string Root { get; }

    /// <summary>Multipart uploads in progress; a name no bucket can have.</summary>
    public string UploadsDirectory => Path.Combine(Root, ".uploads");

    string BucketDirectory(string bucket) => Path.Combine(Root, S3BucketName.Require(bucket));

    public string ObjectPath(string bucket, string key) => Path.Combine(BucketDirectory(bucket), S3ObjectFile.NameFor(key));

    public IEnumerable<(string Name, DateTimeOffset Created)> Buckets() =>
        Directory.EnumerateDirectories(Root)
            .Select(d => Path.GetFileName(d))
            .Where(S3BucketName.IsValid)
            .Order(StringComparer.Ordinal)
            .Select(n => (n, new DateTimeOffset(Directory.GetCreationTimeUtc(Path.Combine(Root, n)), TimeSpan.Zero)));

    public bool BucketExists(string bucket) => Directory.Exists(BucketDirectory(bucket));

    public void RequireBucket(string bucket)
    {
        if (!BucketExists(bucket)) throw new AwsError("NoSuchBucket", $"The specified bucket does not exist: {bucket}.", 404);
    }

    /// <summary>Creates a bucket; false when it already exists.</summary>
    public bool CreateBucket(string bucket)
    {
        var directory = BucketDirectory(bucket);
        if (Directory.Exists(directory)) return false;
        DurableFiles.CreatePrivateDirectory(directory);
        DurableFiles.FlushDirectory(Root);
        return true;
    }

    public void DeleteBucket(string bucket)
    {
        RequireBucket(bucket);
        var directory = BucketDirectory(bucket);
        if (Directory.EnumerateFiles(directory).Any(f => S3ObjectFile.IsObjectFileName(Path.GetFileName(f))))
            throw new AwsError("BucketNotEmpty", $"The bucket you tried to delete is not empty: {bucket}.", 409);
        Directory.Delete(directory, recursive: true); // only unfinished temporary files can be left
        DurableFiles.FlushDirectory(Root);
    }

    /// <summary>A bucket setting (encryption, tagging, lifecycle…) as it was put, or null; kept beside the objects under a name no object has.</summary>
    public string? ReadSetting(string bucket, string name)
    {
        RequireBucket(bucket);
        var file = Path.Combine(BucketDirectory(bucket), ".setting-" + name);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    public void WriteSetting(string bucket, string name, string document)
    {
        RequireBucket(bucket);
        var file = Path.Combine(BucketDirectory(bucket), ".setting-" + name);
        File.WriteAllText(file + ".tmp", document);
        File.Move(file + ".tmp", file, overwrite: true);
    }

    public void DeleteSetting(string bucket, string name)
    {
        RequireBucket(bucket);
        File.Delete(Path.Combine(BucketDirectory(bucket), ".setting-" + name));
    }

    /// <summary>Every object's header in a bucket, in no particular order.</summary>
    public IEnumerable<S3ObjectHeader> Objects(string bucket)
    {
        RequireBucket(bucket);
        foreach (var file in Directory.EnumerateFiles(BucketDirectory(bucket)))
            if (S3ObjectFile.IsObjectFileName(Path.GetFileName(file)) && S3ObjectFile.TryReadHeader(file) is { } header)
                yield return header;
    }

    /// <summary>Opens an object for reading, or null when the bucket holds no such key.</summary>
    public S3StoredObject? Open(string bucket, string key)
    {
        RequireBucket(bucket);
        var stored = S3ObjectFile.Open(ObjectPath(bucket, key));
        if (stored != null && stored.Header.Key != key) // a hash collision would be news, but never serve another key's bytes
        {
            stored.Dispose();
            return null;
        }
        return stored;
    }

    /// <summary>Writes an object durably; see <see cref="S3ObjectFile.WriteAsync"/>.</summary>
    public Task<S3ObjectHeader> WriteAsync(
        string bucket, string key, Func<Stream, CancellationToken, Task<string>> writeData, Func<long, string, S3ObjectHeader> header,
            CancellationToken cancellationToken)
    {
        RequireBucket(bucket);
        return S3ObjectFile.WriteAsync(ObjectPath(bucket, key), writeData, header, cancellationToken);
    }

    /// <summary>Deletes an object; a missing key is not an error (as in S3).</summary>
    public void Delete(string bucket, string key)
    {
        RequireBucket(bucket);
        var path = ObjectPath(bucket, key);
        if (!File.Exists(path)) return;
        File.Delete(path);
        DurableFiles.FlushDirectory(Path.GetDirectoryName(path)!);
    }

    public void Dispose()
    {
        if (!_temporary) return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
