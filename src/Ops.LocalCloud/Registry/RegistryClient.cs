using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Registry;

/// <summary>The few calls of the registry HTTP API v2 that ECR and the image source need (tags, manifests, blobs).</summary>
internal sealed class RegistryClient(Uri baseUrl) : IDisposable
{
    /// <summary>Manifest media types asked for: Docker schema 2 and OCI images, and their lists/indexes.</summary>
    public static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(10) };

    public Uri BaseUrl => baseUrl;

    /// <summary>True when <c>GET /v2/</c> answers 200.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("/v2/", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The repository's tags (none when the registry has never seen the repository).</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"/v2/{repository}/tags/list", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        await EnsureSuccessAsync(response, $"list the tags of {repository}", cancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return ((json?["tags"] as JsonArray) ?? []).Select(t => (string)t!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The manifest <paramref name="reference"/> (tag or digest) names, or null when the registry has none.</summary>
    public async Task<RegistryManifest?> ManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, $"get the manifest {repository}:{reference}", cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } served && served != digest)
            throw new HttpRequestException($"The registry served manifest {repository}:{reference} as {served}, but its bytes hash to {digest}.");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? (string?)JsonNode.Parse(body)?["mediaType"] ?? ManifestTypes[0];
        return new RegistryManifest(digest, mediaType, body);
    }

    /// <summary>Stores a manifest under <paramref name="reference"/> (a tag, or its digest); its blobs must already be in the repository.</summary>
    public async Task PutManifestAsync(string repository, string reference, string mediaType, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.PutAsync($"/v2/{repository}/manifests/{reference}", content, cancellationToken);
        await EnsureSuccessAsync(response, $"put the manifest {repository}:{reference}", cancellationToken);
    }

    /// <summary>Deletes a manifest by digest (every tag pointing at it goes with it); false when it was not there.</summary>
    public async Task<bool> DeleteManifestAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"/v2/{repository}/manifests/{digest}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, $"delete the manifest {repository}@{digest}", cancellationToken);
        return true;
    }

    /// <summary>Opens a blob for reading; the caller verifies its digest while reading.</summary>
    public async Task<HttpResponseMessage> BlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync($"/v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode) return response;
        using (response) await EnsureSuccessAsync(response, $"get the blob {repository}@{digest}", cancellationToken);
        return response;
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException($"The registry refused to {what}: {(int)response.StatusCode} {body.Trim()}", null, response.StatusCode);
    }

    public void Dispose() => _http.Dispose();
}
