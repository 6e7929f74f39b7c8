namespace Ops.Stack.Web;

/// <summary>What deploy-statics changes in the bucket: new files, changed files and objects whose file is gone (keys sorted).</summary>
public sealed record StaticsPlan(IReadOnlyList<StaticFile> Added, IReadOnlyList<StaticFile> Changed, IReadOnlyList<string> Deleted, int Unchanged)
{
    /// <summary>Most paths one CloudFront invalidation takes before Ops invalidates the whole prefix instead.</summary>
    public const int MaxInvalidationPaths = 3000;

    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Deleted.Count == 0;

    /// <summary>
    /// Compares the files with the bucket's objects. A single-part upload's ETag is the MD5 of its bytes (S3 with SSE-S3),
    /// so most objects compare from the listing alone; for any other ETag (multipart, KMS) <paramref name="sha256Of"/>
    /// reads the object's <c>sha256</c> metadata, which Ops writes on every upload.
    /// </summary>
    public static async Task<StaticsPlan> CompareAsync(IReadOnlyList<StaticFile> files, IReadOnlyList<RemoteStatic> remote,
        Func<string, CancellationToken, Task<string?>> sha256Of, CancellationToken cancellationToken)
    {
        var byKey = remote.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var added = new List<StaticFile>();
        var changed = new List<StaticFile>();
        var unchanged = 0;
        foreach (var file in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!byKey.TryGetValue(file.Key, out var existing)) added.Add(file);
            else if (IsMd5(existing.ETag) ? existing.ETag.Equals(file.Md5, StringComparison.OrdinalIgnoreCase)
                     : string.Equals(await sha256Of(file.Key, cancellationToken), file.Sha256, StringComparison.OrdinalIgnoreCase)) unchanged++;
            else changed.Add(file);
        }
        var local = files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var deleted = remote.Select(r => r.Key).Where(k => !local.Contains(k)).Order(StringComparer.Ordinal).ToList();
        return new StaticsPlan(added, changed, deleted, unchanged);
    }

    /// <summary>The CloudFront paths to invalidate: each changed or deleted key (a new key was never cached), or <c>/prefix/*</c> past the cap.</summary>
    public IReadOnlyList<string> InvalidationPaths(string prefix)
    {
        var paths = Changed.Select(f => f.Key).Concat(Deleted).Order(StringComparer.Ordinal).Select(Escape).ToList();
        return paths.Count > MaxInvalidationPaths ? [$"/{prefix}/*"] : paths;
    }

    static string Escape(string key) => "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    static bool IsMd5(string etag) => etag.Length == 32 && etag.All(Uri.IsHexDigit);
}
