using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Ops.Docker;

/// <summary>
/// A Docker Engine API (Docker or podman) that builds images from a directory, pushes them and reports their digests.
/// Errors the engine reports inside a 200 stream become <see cref="ImageBuildException"/> with the engine's own line.
/// </summary>
public sealed partial class DockerEngine : IDisposable
{
    readonly DockerClient _client;

    internal DockerEngine(DockerClient client, Uri endpoint, string description)
    {
        _client = client;
        Endpoint = endpoint;
        Description = description;
    }

    /// <summary>Where the engine answers (unix:///… or tcp://…).</summary>
    public Uri Endpoint { get; }

    /// <summary>Product, version and endpoint, e.g. "podman 4.3.1 (API 1.41) at unix:///run/podman/podman.sock".</summary>
    public string Description { get; }

    /// <summary>The first engine that answers (see <see cref="EngineLocator"/>); <see cref="DockerEngineUnavailableException"/> when none does.</summary>
    public static Task<DockerEngine> LocateAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
        EngineLocator.LocateAsync(environment, cancellationToken);

    /// <summary>
    /// Builds <paramref name="request"/> and returns the image id (<c>sha256:…</c>). Every line of build output goes to
    /// <paramref name="output"/> as it arrives. Intermediate containers are always removed, even when the build fails.
    /// </summary>
    public async Task<string> BuildAsync(ImageBuildRequest request, Action<string> output, CancellationToken cancellationToken)
    {
        await using var context = await BuildContext.CreateAsync(request.ContextDirectory, request.Dockerfile, cancellationToken);
        string? id = null;
        string? error = null;
        var lines = new LineSplitter(output);
        var parameters = new ImageBuildParameters
        {
            Tags = [request.Tag],
            Dockerfile = BuildContext.DockerfileName,
            BuildArgs = request.BuildArgs.ToDictionary(),
            Remove = true,
            ForceRemove = true, // else a failed build leaves a mounted working container behind (podman)
        };
        await Stream("build", async () => await _client.Images.BuildImageFromDockerfileAsync(parameters, context, [], new Dictionary<string, string>(),
            new SyncProgress(m =>
            {
                if (m.Stream is { Length: > 0 } text) lines.Append(text);
                else if (m.Status is { Length: > 0 } status) lines.Line(m.ID is { Length: > 0 } layer ? $"{layer}: {status}" : status);
                if (AuxString(m, "ID") is { } aux) id = aux;
                if (m.Error?.Message is { Length: > 0 } e) error ??= e.Trim();
            }), cancellationToken));
        lines.Flush();
        if (error != null) throw new ImageBuildException($"the image build failed: {error}");
        return id ?? throw new ImageBuildException($"the engine at {Endpoint} finished the build without reporting an image id (aux.ID); is it Docker Engine API compatible?");
    }

    /// <summary>
    /// Pushes <paramref name="repository"/>:<paramref name="tag"/> with <paramref name="auth"/> and returns the manifest
    /// digest the registry stored (from <c>aux.Digest</c>, else the status text <c>digest: sha256:…</c> podman sends).
    /// </summary>
    public async Task<PushResult> PushAsync(string repository, string tag, RegistryAuth auth, Action<string> output, CancellationToken cancellationToken)
    {
        string? digest = null;
        string? error = null;
        var uploaded = new HashSet<string>();
        var present = new HashSet<string>();
        var authConfig = new AuthConfig { ServerAddress = auth.ServerAddress, Username = auth.Username, Password = auth.Password };
        await Stream("push", () => _client.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, authConfig,
            new SyncProgress(m =>
            {
                if (AuxString(m, "Digest") is { } aux) digest = aux;
                if (m.Status is { Length: > 0 } status)
                {
                    if (digest == null && PushedDigest().Match(status) is { Success: true } match) digest = match.Groups[1].Value;
                    if (m.ID is { Length: > 0 } layer)
                    {
                        if (status == "Pushed") uploaded.Add(layer);
                        else if (status == "Layer already exists" || status.StartsWith("Mounted from", StringComparison.Ordinal)) present.Add(layer);
                        if (status is "Pushed" or "Layer already exists" || status.StartsWith("Mounted from", StringComparison.Ordinal)) output($"{layer}: {status}");
                    }
                    else output(status.Trim());
                }
                if (m.Error?.Message is { Length: > 0 } e) error ??= e.Trim();
            }), cancellationToken));
        if (error != null) throw new ImageBuildException($"pushing {repository}:{tag} failed: {error}");
        if (digest == null) throw new ImageBuildException($"the engine at {Endpoint} pushed {repository}:{tag} without reporting its digest.");
        var itemized = uploaded.Count + present.Count > 0;
        return new PushResult(digest, itemized ? uploaded.Count : null, itemized ? present.Except(uploaded).Count() : null);
    }

    /// <summary>Calls the engine; a refused request or a lost connection becomes one line naming the engine.</summary>
    async Task Stream(string what, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (DockerApiException e)
        {
            throw new ImageBuildException($"the engine at {Endpoint} refused the {what} (HTTP {(int)e.StatusCode}): {EngineMessage(e.ResponseBody)}");
        }
        catch (HttpRequestException e)
        {
            throw new ImageBuildException($"lost the connection to the engine at {Endpoint} during the {what}: {e.Message}");
        }
    }

    /// <summary>The "message" of an engine's JSON error body, else the body's first line.</summary>
    static string EngineMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "(no message)";
        try
        {
            if (System.Text.Json.JsonDocument.Parse(body).RootElement.TryGetProperty("message", out var message)) return message.GetString() ?? body.Trim();
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return body.Trim().Split('\n')[0];
    }

    static string? AuxString(JSONMessage m, string key) =>
        m.Aux?.ExtensionData?.TryGetValue(key, out var value) == true && value?.ToString() is { Length: > 0 } s ? s : null;

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();

    public void Dispose() => _client.Dispose();
}
