using System.Text.Json;

namespace Ops.Worker;

/// <summary>Finds this worker's identity: the TaskARN from the ECS task metadata endpoint v4 when it is set, else the host name.</summary>
internal sealed class TaskMetadata(HttpClient http, WorkerOutput output, TimeProvider clock)
{
    public async Task<WorkerIdentity> ResolveAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (environment.GetValueOrDefault("ECS_CONTAINER_METADATA_URI_V4") is not { Length: > 0 } uri)
            return new WorkerIdentity(System.Net.Dns.GetHostName(), null);
        var url = uri.TrimEnd('/') + "/task";
        Exception? last = null;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                if (document.RootElement.TryGetProperty("TaskARN", out var arn) && arn.GetString() is { Length: > 0 } taskArn)
                    return new WorkerIdentity(taskArn[(taskArn.LastIndexOf('/') + 1)..], taskArn);
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
        return new WorkerIdentity(host, null);
    }
}
