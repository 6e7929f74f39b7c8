using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Ops.Aws;
using Ops.Aws.CloudFront;
using Ops.Aws.Lookups;
using Ops.Stack.Core;

namespace Ops.Stack.Web;

/// <summary>
/// deploy-statics: syncs <c>statics.directory</c> to <c>s3://buckets.statics/statics.prefix/</c> by content hash (only new and
/// changed files upload; objects whose file is gone are deleted), then invalidates exactly the changed and deleted paths
/// of the CloudFront distribution, when the stack names one, and waits for it. The paths are recorded in the bucket
/// (<see cref="PendingKey"/>) before the first upload and cleared after the invalidation completes, so a run that dies
/// in between still invalidates them when it is re-run.
/// </summary>
public sealed class StaticsSync(StageContext context)
{
    /// <summary>Where the paths of an invalidation not yet completed are kept (outside the statics prefix, so never served).</summary>
    public const string PendingKey = ".ops/statics-invalidation-pending.json";

    /// <summary>How many lines of each kind (upload, delete) are printed before "… and N more".</summary>
    const int Shown = 40;

    string Bucket => context.Stack.Buckets.Statics;
    string Prefix => context.Stack.Statics.Prefix.Trim('/');

    public async Task<IReadOnlyList<Change>> SyncAsync(CancellationToken cancellationToken)
    {
        var directory = new StaticsBuilder(context).Directory;
        if (!Directory.Exists(directory))
            throw new CloudStateException($"statics.directory '{context.Stack.Statics.Directory}' does not exist; run ./build.sh build-statics --stage {context.Stack.Stage} (deploy-statics runs it first).");
        var files = await LocalFilesAsync(directory, cancellationToken);
        using var s3 = AwsConnectionFactory.CreateS3(context.Connection);
        var remote = await RemoteAsync(s3, cancellationToken);
        var plan = await StaticsPlan.CompareAsync(files, remote, (key, ct) => Sha256MetadataAsync(s3, key, ct), cancellationToken);
        var target = $"s3://{Bucket}/{Prefix}/";

        var changes = new List<Change>();
        Report(plan.Added.Select(f => f.Key), "upload", "new", changes);
        Report(plan.Changed.Select(f => f.Key), "upload", "changed", changes);
        Report(plan.Deleted, "delete", "gone from " + context.Stack.Statics.Directory, changes);
        var distribution = context.Stack.Statics.Distribution;
        var pending = distribution == null ? [] : await PendingAsync(s3, cancellationToken);
        var paths = plan.InvalidationPaths(Prefix).Union(pending).Order(StringComparer.Ordinal).ToList();
        if (paths.Count > StaticsPlan.MaxInvalidationPaths) paths = [$"/{Prefix}/*"];

        if (context.DryRun)
        {
            context.Log.Info($"statics → {target}: would upload {plan.Added.Count} new and {plan.Changed.Count} changed file(s), delete {plan.Deleted.Count}; {plan.Unchanged} unchanged");
            if (distribution != null && paths.Count > 0) context.Log.Info($"would invalidate {paths.Count} path(s) of CloudFront distribution {distribution}: {Abbreviate(paths)}");
            return changes;
        }
        if (distribution != null && !plan.IsEmpty && paths.Count > 0) await SavePendingAsync(s3, paths, cancellationToken);
        await UploadAsync(s3, [.. plan.Added, .. plan.Changed], cancellationToken);
        await DeleteAsync(s3, plan.Deleted, cancellationToken);
        context.Log.Info(plan.IsEmpty
            ? $"statics → {target}: up to date ({plan.Unchanged} file(s))"
            : $"statics → {target}: {plan.Added.Count} new, {plan.Changed.Count} changed, {plan.Deleted.Count} deleted, {plan.Unchanged} unchanged");
        if (distribution != null && paths.Count > 0)
        {
            await InvalidateAsync(distribution, paths, cancellationToken);
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = PendingKey }, cancellationToken);
        }
        return changes;
    }

    void Report(IEnumerable<string> keys, string verb, string why, List<Change> changes)
    {
        var list = keys.ToList();
        foreach (var key in list.Take(Shown)) context.Log.Info($"  {(context.DryRun ? "would " + verb : verb)} {key} ({why})");
        if (list.Count > Shown) context.Log.Info($"  … and {list.Count - Shown} more to {verb}");
        changes.AddRange(list.Select(k => new Change($"s3://{Bucket}/{k}", verb, why, verb == "delete" ? "deleted" : "uploaded")));
    }

    async Task<IReadOnlyList<StaticFile>> LocalFilesAsync(string directory, CancellationToken ct)
    {
        var files = new List<StaticFile>();
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');
            await using var stream = File.OpenRead(path);
            var sha = await SHA256.HashDataAsync(stream, ct);
            stream.Position = 0;
            var md5 = await MD5.HashDataAsync(stream, ct);
            files.Add(new StaticFile($"{Prefix}/{relative}", path, Convert.ToHexStringLower(sha), Convert.ToHexStringLower(md5), stream.Length));
        }
        return files;
    }

    async Task<IReadOnlyList<RemoteStatic>> RemoteAsync(AmazonS3Client s3, CancellationToken ct)
    {
        var objects = new List<RemoteStatic>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix + "/" };
        try
        {
            do
            {
                var page = await s3.ListObjectsV2Async(request, ct);
                objects.AddRange((page.S3Objects ?? []).Select(o => new RemoteStatic(o.Key, o.ETag?.Trim('"') ?? "")));
                request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (request.ContinuationToken != null);
        }
        catch (Exception e) when (AwsErrors.Is(e, "NoSuchBucket"))
        {
            throw new CloudStateException($"statics bucket {Bucket} does not exist; run ./build.sh create-buckets --stage {context.Stack.Stage} first (up does it).");
        }
        return objects;
    }

    async Task<string?> Sha256MetadataAsync(AmazonS3Client s3, string key, CancellationToken ct)
    {
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct);
        return head.Metadata["sha256"];
    }

    async Task UploadAsync(AmazonS3Client s3, IReadOnlyList<StaticFile> files, CancellationToken ct)
    {
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (file, token) =>
        {
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = file.Key,
                FilePath = file.Path,
                ContentType = ContentTypes.Of(file.Key),
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
            };
            request.Headers.CacheControl = ContentTypes.CacheControl(file.Key);
            request.Metadata.Add("sha256", file.Sha256);
            await s3.PutObjectAsync(request, token);
        });
    }

    async Task DeleteAsync(AmazonS3Client s3, IReadOnlyList<string> keys, CancellationToken ct)
    {
        foreach (var batch in keys.Chunk(1000))
        {
            var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = Bucket,
                Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
                Quiet = true,
            }, ct);
            if (result.DeleteErrors is { Count: > 0 } errors)
                throw new CloudStateException($"could not delete {errors.Count} object(s) from {Bucket}, first {errors[0].Key}: {errors[0].Code} {errors[0].Message}; run deploy-statics again.");
        }
    }

    async Task<IReadOnlyList<string>> PendingAsync(AmazonS3Client s3, CancellationToken ct)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = PendingKey }, ct);
            var paths = await JsonSerializer.DeserializeAsync<List<string>>(response.ResponseStream, cancellationToken: ct) ?? [];
            if (paths.Count > 0) context.Log.Info($"{paths.Count} path(s) from an earlier run still to invalidate");
            return paths;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    Task SavePendingAsync(AmazonS3Client s3, IReadOnlyList<string> paths, CancellationToken ct) =>
        s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = PendingKey,
            ContentBody = JsonSerializer.Serialize(paths),
            ContentType = "application/json",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        }, ct);

    async Task InvalidateAsync(string distribution, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var cloudFront = new CloudFrontClient(context.Connection);
        // The same change set gives the same reference, so a re-run after a crash finds the invalidation it already made.
        var reference = "ops-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', paths))))[..32];
        var created = await cloudFront.CreateInvalidationAsync(new CreateInvalidationRequest
        {
            DistributionId = distribution,
            InvalidationBatch = new InvalidationBatch { CallerReference = reference, Paths = new Paths { Quantity = paths.Count, Items = [.. paths] } },
        }, ct);
        var id = created.Invalidation?.Id ?? throw new CloudStateException($"CloudFront returned no invalidation id for distribution {distribution}; run deploy-statics again.");
        context.Log.Info($"invalidating {paths.Count} path(s) of CloudFront distribution {distribution} ({id}): {Abbreviate(paths)}");
        await Waiting.UntilAsync(context, $"invalidation {id}", async token =>
        {
            var status = (await cloudFront.GetInvalidationAsync(new GetInvalidationRequest { DistributionId = distribution, Id = id },
                token)).Invalidation?.Status ?? "unknown";
            return (status == "Completed", status);
        }, ct);
    }

    static string Abbreviate(IReadOnlyList<string> paths) => paths.Count <= 5 ? string.Join(", ", paths) : $"{string.Join(", ", paths.Take(5))} … (+{paths.Count - 5})";
}
