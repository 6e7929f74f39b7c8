using System.Text.Json;

namespace Ops.Worker;

/// <summary>Finds this worker's identity: TaskARN, Family and Revision from the ECS task metadata endpoint v4 when it is set, else the host name.</summary>
internal sealed class TaskMetadata(HttpClient http, WorkerOutput output, TimeProvider clock)
{
    /// <summary>The identity; <paramref name="startedAt"/> is when this process started.</summary>
    public async Task<WorkerIdentity> ResolveAsync(IReadOnlyDictionary<string, string> environment, DateTimeOffset startedAt,
        CancellationToken cancellationToken)
    {
        if (environment.GetValueOrDefault("ECS_CONTAINER_METADATA_URI_V4") is not { Length: > 0 } uri)
            return new WorkerIdentity(System.Net.Dns.GetHostName(), null, "", startedAt);
        var url = uri.TrimEnd('/') + "/task";
        Exception? last = null;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                var root = document.RootElement;
                if (root.TryGetProperty("TaskARN", out var arn) && arn.ValueKind == JsonValueKind.String && arn.GetString() is { Length: > 0 } taskArn)
                {
                    var revision = Text(root, "Family") is { } family && Text(root, "Revision") is { } number ? $"{family}:{number}" : "";
                    if (revision.Length == 0)
                        output.Warn($"the ECS metadata endpoint {url} names no Family and Revision; kill messages naming a revision will not be taken as this worker's");
                    return new WorkerIdentity(taskArn[(taskArn.LastIndexOf('/') + 1)..], taskArn, revision, startedAt);
                }
                last = new InvalidDataException("the answer has no TaskARN");
                break;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), clock, cancellationToken).ConfigureAwait(false);
            }
        }
        var host = System.Net.Dns.GetHostName();
        output.Warn($"could not read the task ARN from the ECS metadata endpoint {url} ({last?.Message}); using the host name {host} as this worker's id");
        return new WorkerIdentity(host, null, "", startedAt);
    }

    /// <summary>A string property (ECS sends Revision as a string; a number is accepted too), or null.</summary>
    static string? Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s
        : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
        : null;
}
