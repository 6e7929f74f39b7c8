using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.LocalCloud.Registry;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// Pulls images from the local cloud's own registry over the registry HTTP API v2 (manifest lists resolved to
/// linux/amd64, every blob's digest verified) and unpacks each image once, into <c>images/sha256-&lt;hex&gt;/rootfs</c>
/// under the state directory: into a temporary directory first, renamed when complete, so a half-unpacked image never
/// survives. Unpacked images stay until the state directory is removed.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class RegistryImageSource : IImageSource
{
    const string ConfigFile = "image.json";
    const string TempPrefix = ".tmp-";

    readonly RegistryClient _registry;
    readonly string _host;
    readonly string _images;
    readonly ConcurrentDictionary<string, SemaphoreSlim> _unpacking = new(StringComparer.Ordinal);

    /// <param name="host">The registry's <c>host:port</c> as repository URIs name it.</param>
    public RegistryImageSource(RegistryClient registry, string host, string stateDirectory)
    {
        _registry = registry;
        _host = host;
        _images = Path.Combine(stateDirectory, "images");
        Directory.CreateDirectory(_images);
        // Whatever a killed process was unpacking is incomplete by definition.
        foreach (var temp in Directory.EnumerateDirectories(_images, TempPrefix + "*")) Directory.Delete(temp, recursive: true);
    }

    public async Task<UnpackedImage> PullAsync(string image, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(image);
        var port = _host[(_host.LastIndexOf(':') + 1)..];
        if (reference.Host != _host && reference.Host != $"localhost:{port}")
            throw Unresolved(image, $"only the local cloud's registry at {_host} is reachable from the local cloud; push the image there (ecr describe-repositories shows each repositoryUri)");
        if (reference.Digest != null && Unpacked(reference.Digest) is { } cached) return cached;

        var manifest = await ImageManifestAsync(image, reference, cancellationToken);
        if (Unpacked(manifest.Digest) is { } done) return done;

        var gate = _unpacking.GetOrAdd(manifest.Digest, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return Unpacked(manifest.Digest) ?? await UnpackAsync(image, reference.Repository, manifest, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The image manifest (a list or index resolved to linux/amd64).</summary>
    async Task<RegistryManifest> ImageManifestAsync(string image, ImageReference reference, CancellationToken cancellationToken)
    {
        var manifest = await ManifestAsync(image, reference.Repository, reference.Reference, cancellationToken);
        if (reference.Digest != null && manifest.Digest != reference.Digest)
            throw Unresolved(image, $"the registry's manifest hashes to {manifest.Digest}, not the digest asked for");
        var json = ParseJson(manifest.Body, image);
        if (json["manifests"] is not JsonArray entries) return manifest;
        var amd64 = entries.FirstOrDefault(m => (string?)m?["platform"]?["os"] == "linux" && (string?)m?["platform"]?["architecture"] == "amd64")
            ?? throw new ImagePullException($"pull image manifest has been retried 1 time(s): no matching manifest for linux/amd64 in the manifest list entries of {image}");
        var digest = (string?)amd64["digest"] ?? throw Unresolved(image, "its manifest list has an entry without a digest");
        var platform = await ManifestAsync(image, reference.Repository, digest, cancellationToken);
        return platform.Digest == digest ? platform : throw Unresolved(image, $"the registry's manifest {digest} hashes to {platform.Digest}");
    }

    async Task<RegistryManifest> ManifestAsync(string image, string repository, string reference, CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.ManifestAsync(repository, reference, cancellationToken) ?? throw Unresolved(image, $"{image}: not found");
        }
        catch (HttpRequestException e)
        {
            throw Unresolved(image, e.Message, e);
        }
    }

    async Task<UnpackedImage> UnpackAsync(string image, string repository, RegistryManifest manifest, CancellationToken cancellationToken)
    {
        var json = ParseJson(manifest.Body, image);
        var configDigest = (string?)json["config"]?["digest"] ?? throw Unresolved(image, $"manifest {manifest.Digest} has no config");
        var layers = ((json["layers"] as JsonArray) ?? []).Select(l => (string?)l?["digest"] ?? throw Unresolved(image, $"manifest {manifest.Digest} has a layer without a digest")).ToList();

        var temp = Path.Combine(_images, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var root = Path.Combine(temp, "rootfs");
            var unpacker = new LayerUnpacker(root);
            var blob = Path.Combine(temp, "blob");
            await DownloadAsync(image, repository, configDigest, blob, cancellationToken);
            var config = ImageConfig.Parse(ParseJson(await File.ReadAllBytesAsync(blob, cancellationToken), image));
            foreach (var layer in layers)
            {
                await DownloadAsync(image, repository, layer, blob, cancellationToken);
                await using (var stream = File.OpenRead(blob)) await unpacker.ApplyAsync(stream, layer, cancellationToken);
            }
            File.Delete(blob);
            await File.WriteAllTextAsync(Path.Combine(temp, ConfigFile), config.ToJson().ToJsonString(), cancellationToken);
            Directory.Move(temp, Final(manifest.Digest));
        }
        catch (Exception e)
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            if (e is IOException && Unpacked(manifest.Digest) is { } other) return other; // another process finished it first
            throw;
        }
        return Unpacked(manifest.Digest)!;
    }

    /// <summary>Downloads a blob to <paramref name="path"/>, refusing it unless its bytes hash to <paramref name="digest"/>.</summary>
    async Task DownloadAsync(string image, string repository, string digest, string path, CancellationToken cancellationToken)
    {
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal))
            throw Unresolved(image, $"blob {digest} uses a digest algorithm other than sha256");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            using var response = await _registry.BlobAsync(repository, digest, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }
        catch (HttpRequestException e)
        {
            throw Unresolved(image, e.Message, e);
        }
        var actual = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != digest)
            throw new ImagePullException($"failed to copy blob {digest} of {image}: the registry sent bytes hashing to {actual}");
    }

    /// <summary>The image unpacked earlier for this manifest digest, or null.</summary>
    UnpackedImage? Unpacked(string digest)
    {
        var directory = Final(digest);
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) return null;
        var config = ImageConfig.Parse(JsonNode.Parse(File.ReadAllText(configPath)));
        return new UnpackedImage(digest, Path.Combine(directory, "rootfs"), config.Entrypoint, config.Command, config.Environment, config.WorkingDirectory);
    }

    string Final(string digest) => Path.Combine(_images, digest.Replace(':', '-'));

    static JsonNode ParseJson(byte[] body, string image)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw Unresolved(image, "the registry sent an empty document");
        }
        catch (JsonException e)
        {
            throw Unresolved(image, $"the registry sent a document that is not JSON ({e.Message})", e);
        }
    }

    static ImagePullException Unresolved(string image, string why, Exception? inner = null) =>
        new($"pull image manifest has been retried 1 time(s): failed to resolve ref {image}: {why}", inner);
}
