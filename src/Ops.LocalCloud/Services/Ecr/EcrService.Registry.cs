using System.Text;
using System.Text.Json.Nodes;
using Ops.LocalCloud.Registry;

namespace Ops.LocalCloud.Services.Ecr;

/// <summary>
/// ECR backed by the local cloud's docker-registry: images are what the registry holds (read through its HTTP API
/// before each image call and mirrored into state, which keeps when each digest was first seen), and PutImage,
/// BatchDeleteImage and DeleteRepository change the registry itself.
/// </summary>
internal sealed partial class EcrService
{
    /// <summary>Replaces the bookkeeping-only image operations with ones answered from the registry.</summary>
    void ServeFromRegistry()
    {
        OnAsync("ListImages", (i, c, ct) => SyncedAsync(i, c, ct, () => ListImages(i, c)));
        OnAsync("DescribeImages", (i, c, ct) => SyncedAsync(i, c, ct, () => DescribeImages(i, c)));
        OnAsync("BatchGetImage", (i, c, ct) => SyncedAsync(i, c, ct, () => BatchGetImage(i, c)));
        OnAsync("PutImage", PutImageInRegistryAsync);
        OnAsync("BatchDeleteImage", BatchDeleteImageInRegistryAsync);
        OnAsync("DeleteRepository", DeleteRepositoryInRegistryAsync);
    }

    async Task<JsonNode?> SyncedAsync(JsonObject i, RequestContext c, CancellationToken cancellationToken, Func<JsonNode?> answer)
    {
        await SyncAsync(Required(i, "repositoryName"), c.Now, cancellationToken);
        return answer();
    }

    /// <summary>
    /// Mirrors the registry's tags of <paramref name="name"/> into state. A registry cannot refuse a push over an existing
    /// tag, so in an IMMUTABLE repository a tag found moved is put back on the image it named first.
    /// </summary>
    async Task SyncAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (Gate) Find(name);
        var seen = await ReadRegistryAsync(name, cancellationToken);
        List<(string Tag, EcrImage Image)> moved;
        lock (Gate)
        {
            var repo = Find(name);
            moved = repo.Settings["imageTagMutability"]?.ToString() == "IMMUTABLE"
                ? repo.Images.SelectMany(x => x.Tags.Select(t => (Tag: t, Image: x)))
                    .Where(p => seen.Any(s => s.Tags.Contains(p.Tag) && s.Digest != p.Image.Digest)).ToList()
                : [];
            if (moved.Count == 0) Mirror(repo, seen, now);
        }
        if (moved.Count == 0) return;
        foreach (var (tag, image) in moved)
            await RegistryAsync(() => _contents!.PutManifestAsync(name, tag, image.MediaType, Encoding.UTF8.GetBytes(image.Manifest), cancellationToken));
        seen = await ReadRegistryAsync(name, cancellationToken);
        lock (Gate) Mirror(Find(name), seen, now);
    }

    /// <summary>Makes state's images those the registry holds, keeping the first-seen time of digests already known.</summary>
    void Mirror(EcrRepository repo, List<EcrImage> seen, DateTimeOffset now)
    {
        foreach (var image in seen)
            image.Pushed = repo.Images.FirstOrDefault(x => x.Digest == image.Digest)?.Pushed ?? now;
        repo.Images = seen;
        Persist();
    }

    /// <summary>The registry's images of a repository: one per digest, with its tags.</summary>
    async Task<List<EcrImage>> ReadRegistryAsync(string name, CancellationToken cancellationToken)
    {
        var images = new List<EcrImage>();
        foreach (var tag in await RegistryAsync(() => _contents!.TagsAsync(name, cancellationToken)))
        {
            if (await RegistryAsync(() => _contents!.ManifestAsync(name, tag, cancellationToken)) is not { } manifest) continue; // deleted meanwhile
            var image = images.FirstOrDefault(x => x.Digest == manifest.Digest);
            if (image == null)
                images.Add(image = new EcrImage { Digest = manifest.Digest, Manifest = Encoding.UTF8.GetString(manifest.Body),
                    MediaType = manifest.MediaType });
            image.Tags.Add(tag);
        }
        return images;
    }

    async Task<JsonNode?> PutImageInRegistryAsync(JsonObject i, RequestContext c, CancellationToken cancellationToken)
    {
        var name = Required(i, "repositoryName");
        await SyncAsync(name, c.Now, cancellationToken);
        var manifest = Required(i, "imageManifest");
        var tag = Optional(i, "imageTag");
        var mediaType = Optional(i, "imageManifestMediaType") ?? (string?)JsonNode.Parse(manifest)?["mediaType"] ?? RegistryClient.ManifestTypes[0];
        lock (Gate) CheckPut(Find(name), DigestOf(manifest), tag, c);
        try
        {
            await _contents!.PutManifestAsync(name, tag ?? DigestOf(manifest), mediaType, Encoding.UTF8.GetBytes(manifest), cancellationToken);
        }
        catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            throw new AwsError("LayersNotFoundException", $"The image manifest names layers or a config the repository '{name}' does not have; push them first. The registry said: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw RegistryFailed(e);
        }
        await SyncAsync(name, c.Now, cancellationToken);
        lock (Gate)
        {
            var repo = Find(name);
            var image = repo.Images.First(x => x.Digest == DigestOf(manifest) || (tag != null && x.Tags.Contains(tag)));
            return new JsonObject { ["image"] = ImageObject(repo, image, c) };
        }
    }

    /// <summary>
    /// Computes the outcome on state as bookkeeping does, then makes the registry match: deleted digests go; an untagged tag
    /// is dropped by re-putting the manifest under its other tags.
    /// </summary>
    async Task<JsonNode?> BatchDeleteImageInRegistryAsync(JsonObject i, RequestContext c, CancellationToken cancellationToken)
    {
        var name = Required(i, "repositoryName");
        await SyncAsync(name, c.Now, cancellationToken);
        List<EcrImage> before, after;
        JsonNode? result;
        lock (Gate)
        {
            before = Find(name).Images.Select(x => new EcrImage { Digest = x.Digest, Manifest = x.Manifest, MediaType = x.MediaType,
                Tags = [.. x.Tags] }).ToList();
            result = BatchDeleteImage(i, c);
            after = Find(name).Images.Select(x => new EcrImage { Digest = x.Digest, Tags = [.. x.Tags] }).ToList();
        }
        foreach (var old in before)
        {
            var kept = after.FirstOrDefault(x => x.Digest == old.Digest);
            if (kept != null && kept.Tags.Count == old.Tags.Count) continue;
            await RegistryAsync(() => _contents!.DeleteManifestAsync(name, old.Digest, cancellationToken));
            foreach (var tag in kept?.Tags ?? [])
                await RegistryAsync(() => _contents!.PutManifestAsync(name, tag, old.MediaType, Encoding.UTF8.GetBytes(old.Manifest), cancellationToken));
        }
        await SyncAsync(name, c.Now, cancellationToken);
        return result;
    }

    async Task<JsonNode?> DeleteRepositoryInRegistryAsync(JsonObject i, RequestContext c, CancellationToken cancellationToken)
    {
        var name = Required(i, "repositoryName");
        await SyncAsync(name, c.Now, cancellationToken);
        List<string> digests;
        lock (Gate)
        {
            var repo = Find(name);
            if (repo.Images.Count > 0 && !Flag(i, "force"))
                throw new AwsError("RepositoryNotEmptyException", $"The repository with name '{repo.Name}' cannot be deleted because it still contains images");
            digests = repo.Images.Select(x => x.Digest).ToList();
        }
        foreach (var digest in digests)
            await RegistryAsync(() => _contents!.DeleteManifestAsync(name, digest, cancellationToken));
        return DeleteRepository(i, c);
    }

    async Task<T> RegistryAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw RegistryFailed(e);
        }
    }

    async Task RegistryAsync(Func<Task> call) => await RegistryAsync(async () => { await call(); return true; });

    AwsError RegistryFailed(HttpRequestException e) =>
        new("ServerException", $"The local cloud's registry at {_contents!.BaseUrl.Authority} failed: {e.Message}", 500, sender: false);
}
