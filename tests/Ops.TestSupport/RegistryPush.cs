using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ops.TestSupport;

/// <summary>Builds small images by hand (gzip tar layers, a config, an OCI manifest) and pushes them through the registry HTTP API v2, without
/// podman.</summary>
public static class RegistryPush
{
    /// <summary>A gzip-compressed tar layer with the entries <paramref name="write"/> adds (the same entries give the same bytes).</summary>
    public static byte[] Layer(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
            write(tar);
        return buffer.ToArray();
    }

    /// <summary>Adds a regular file.</summary>
    public static void File(this TarWriter tar, string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name) { Mode = mode, ModificationTime = DateTimeOffset.UnixEpoch,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
        tar.WriteEntry(entry);
    }

    /// <summary>Adds a directory, a symbolic link, or a hard link (<paramref name="link"/> is the target).</summary>
    public static void Entry(this TarWriter tar, TarEntryType type, string name, string? link = null)
    {
        var entry = new UstarTarEntry(type, name) { Mode = (UnixFileMode)0x1ED, ModificationTime = DateTimeOffset.UnixEpoch };
        if (link != null) entry.LinkName = link;
        tar.WriteEntry(entry);
    }

    /// <summary>An image config with an entrypoint, command, environment and working directory.</summary>
    public static JsonObject Config(string[] entrypoint, string[] cmd, string[] env, string workingDir) => new()
    {
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject
        {
            ["Entrypoint"] = new JsonArray(entrypoint.Select(x => (JsonNode?)x).ToArray()),
            ["Cmd"] = new JsonArray(cmd.Select(x => (JsonNode?)x).ToArray()),
            ["Env"] = new JsonArray(env.Select(x => (JsonNode?)x).ToArray()),
            ["WorkingDir"] = workingDir,
        },
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
    };

    /// <summary>Uploads the config and layers, then puts an OCI manifest under <paramref name="tag"/>; returns (manifest digest, manifest size sum of layers
    /// and config).</summary>
    public static async Task<(string Digest, long Size)> PushAsync(Uri registry, string repository, string tag, JsonObject config, params byte[][] layers)
    {
        using var http = new HttpClient { BaseAddress = registry };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = await BlobAsync(http, repository, configBytes, "application/vnd.oci.image.config.v1+json"),
            ["layers"] = new JsonArray(await Task.WhenAll(layers.Select(l => BlobAsync(http, repository, l, "application/vnd.oci.image.layer.v1.tar+gzip")))),
        };
        var body = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.PutAsync($"/v2/{repository}/manifests/{tag}", content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"manifest PUT: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (Digest(body), configBytes.Length + layers.Sum(l => (long)l.Length));
    }

    static async Task<JsonNode?> BlobAsync(HttpClient http, string repository, byte[] blob, string mediaType)
    {
        var digest = Digest(blob);
        using var start = await http.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        if (start.Headers.Location is not { } location) throw new InvalidOperationException($"upload start: {(int)start.StatusCode}");
        var url = location.ToString();
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync($"{url}{(url.Contains('?') ? '&' : '?')}digest={Uri.EscapeDataString(digest)}", content);
        if (!put.IsSuccessStatusCode) throw new InvalidOperationException($"blob PUT: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = blob.Length };
    }

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
