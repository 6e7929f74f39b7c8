using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ops.Worker;

/// <summary>
/// ECS task scale-in protection held while this worker holds a message (OPS_DRAIN=task-protection, docs/drain-protocol.md):
/// on when the first message is taken, renewed while one is held, off when none is left — counted across every receive
/// loop. Without an agent endpoint (or with kill-ack) every call is a no-op. A failed call is logged and retried once.
/// </summary>
internal sealed class TaskProtection : IAsyncDisposable
{
    readonly HttpClient _http;
    readonly Uri? _state;
    readonly WorkerOutput _output;
    readonly TimeProvider _clock;
    readonly SemaphoreSlim _lock = new(1, 1);
    readonly CancellationTokenSource _stop = new();
    readonly Task _renewing;
    int _held;
    long _onSince;

    /// <param name="agentUri">ECS_AGENT_URI; null turns protection off.</param>
    /// <param name="visibilityTimeoutSeconds">The queue's visibility timeout: the protection's expiry, in minutes rounded up (1–2880).</param>
    public TaskProtection(HttpClient http, Uri? agentUri, int visibilityTimeoutSeconds, WorkerOutput output, TimeProvider clock)
    {
        _http = http;
        _state = agentUri == null ? null : new Uri(agentUri.ToString().TrimEnd('/') + "/task-protection/v1/state");
        _output = output;
        _clock = clock;
        ExpiresInMinutes = ExpiryMinutes(visibilityTimeoutSeconds);
        RenewAfter = RenewalAfter(ExpiresInMinutes);
        _renewing = _state == null ? Task.CompletedTask : RenewAsync(_stop.Token);
    }

    /// <summary>True when protection calls are made.</summary>
    public bool Enabled => _state != null;

    /// <summary>ExpiresInMinutes of each PUT.</summary>
    public int ExpiresInMinutes { get; }

    /// <summary>How long protection is held before it is renewed: a minute before it expires (half the expiry when that is one minute).</summary>
    public TimeSpan RenewAfter { get; }

    /// <summary>The queue's visibility timeout in minutes, rounded up, clamped to ECS's 1–2880.</summary>
    public static int ExpiryMinutes(int visibilityTimeoutSeconds) => Math.Clamp((visibilityTimeoutSeconds + 59) / 60, 1, 2880);

    /// <summary>When to renew protection that expires after <paramref name="minutes"/>.</summary>
    public static TimeSpan RenewalAfter(int minutes) => TimeSpan.FromSeconds(Math.Max(minutes * 60 - 60, minutes * 30));

    /// <summary>Called when a message was received, before it is worked on: turns protection on when this is the only message held.</summary>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        if (_state == null) return;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (++_held == 1) await PutAsync(true, "on", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Called when a message is finished, before receiving again: turns protection off when no message is held any more.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_state == null) return;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (--_held == 0) await PutAsync(false, "off", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    async Task RenewAsync(CancellationToken cancellationToken)
    {
        var check = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, RenewAfter.Ticks / 4));
        try
        {
            while (true)
            {
                await Task.Delay(check, _clock, cancellationToken).ConfigureAwait(false);
                await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (_held > 0 && _clock.GetElapsedTime(Interlocked.Read(ref _onSince)) >= RenewAfter)
                        await PutAsync(true, "renewed", cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _lock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One PUT, retried once; failures are logged, never thrown (the message is worked on either way).</summary>
    async Task PutAsync(bool enable, string what, CancellationToken cancellationToken)
    {
        if (enable) Interlocked.Exchange(ref _onSince, _clock.GetTimestamp());
        var body = enable
            ? new JsonObject { ["ProtectionEnabled"] = true, ["ExpiresInMinutes"] = ExpiresInMinutes }
            : new JsonObject { ["ProtectionEnabled"] = false };
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var failure = await TryPutAsync(body, cancellationToken).ConfigureAwait(false);
            if (failure == null)
            {
                _output.Info(enable ? $"task protection {what} (expires in {ExpiresInMinutes} min)" : $"task protection {what}");
                return;
            }
            _output.Warn(attempt == 1
                ? $"task protection {what} failed ({failure}); retrying once"
                : $"task protection {what} failed again ({failure}); working on without it{(enable ? " (ECS may stop this task; its message would come back after the visibility timeout)" : "")}");
        }
    }

    /// <summary>Null on success, else one line saying why.</summary>
    async Task<string?> TryPutAsync(JsonObject body, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PutAsJsonAsync(_state, body, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return null;
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return $"{(int)response.StatusCode} {ErrorOf(text)}".TrimEnd();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"{e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}";
        }
    }

    /// <summary>"Code: Message" from the agent's <c>{"error": {...}}</c> answer, or nothing.</summary>
    static string ErrorOf(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["error"] is JsonObject error ? $"{(string?)error["Code"]}: {(string?)error["Message"]}" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        _stop.Dispose();
        _lock.Dispose();
    }
}
