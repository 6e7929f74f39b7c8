using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.LocalCloud.State;

/// <summary>
/// Keeps each service's state as one JSON file in a directory, so separate runs see the same cloud.
/// Changes are written atomically, batched every 200 ms and on <see cref="Flush"/> (server stop).
/// </summary>
internal sealed class StateStore(string? directory) : IDisposable
{
    readonly Dictionary<string, Func<string>> _dirty = new();
    Timer? _timer;

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IncludeFields = false,
    };

    public string? Directory => directory;

    public T Load<T>(string service) where T : new()
    {
        if (directory == null) return new T();
        var path = Path.Combine(directory, service + ".json");
        if (!File.Exists(path)) return new T();
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? new T();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Local cloud state {path} is damaged ({e.Message}); delete it to start {service} afresh.", e);
        }
    }

    /// <summary>Marks a service changed; <paramref name="snapshot"/> serialises its state (taking the service's own lock).</summary>
    public void MarkDirty(string service, Func<string> snapshot)
    {
        if (directory == null) return;
        lock (_dirty)
        {
            _dirty[service] = snapshot;
            _timer ??= new Timer(_ => Flush(), null, 200, 200);
        }
    }

    public static string Serialize<T>(T state) => JsonSerializer.Serialize(state, Json);

    /// <summary>Writes every changed service now.</summary>
    public void Flush()
    {
        if (directory == null) return;
        KeyValuePair<string, Func<string>>[] pending;
        lock (_dirty)
        {
            pending = _dirty.ToArray();
            _dirty.Clear();
        }
        if (pending.Length == 0) return;
        System.IO.Directory.CreateDirectory(directory);
        foreach (var (service, snapshot) in pending)
        {
            var path = Path.Combine(directory, service + ".json");
            var tmp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(tmp, snapshot());
            File.Move(tmp, path, overwrite: true);
        }
    }

    public void Dispose()
    {
        lock (_dirty) _timer?.Dispose();
        Flush();
    }
}
