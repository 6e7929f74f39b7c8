using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.LocalCloud.State;

/// <summary>
/// Keeps each service's state durable in a directory, so separate runs (and a run after a crash) see the same cloud.
/// A change is acknowledged only once it is on disk: <see cref="MarkDirty"/> records that a service changed, and
/// <see cref="WhenDurableAsync"/> completes when a snapshot taken after that change has been appended to the
/// write-ahead log and flushed (group commit: one flush covers every change made while the previous one ran).
/// The log is folded into one JSON file per service at start, when it grows past a few MiB, and at stop.
/// </summary>
internal sealed class StateStore : IDisposable
{
    const string LogName = "wal.log";
    const long CheckpointBytes = 8 * 1024 * 1024;

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IncludeFields = false,
    };

    readonly string? _directory;
    readonly object _gate = new();
    readonly Dictionary<string, Func<string>> _dirty = new();
    readonly Dictionary<string, string> _logged = new(); // newest snapshot per service since the last checkpoint
    readonly Dictionary<string, string> _written = new(); // newest snapshot per service on disk (log or file)
    readonly List<(long Version, TaskCompletionSource Done)> _waiters = [];
    long _version;   // bumped by every change
    long _required;  // the newest change a request must not be answered before (lazy changes don't count)
    long _durable;   // every change up to this version is on disk
    bool _flushing;
    Exception? _failure;
    FileStream? _log;

    public StateStore(string? directory)
    {
        _directory = directory;
        if (directory != null)
        {
            DurableFiles.CreatePrivateDirectory(directory);
            DurableFiles.Tighten(directory);
        }
        Secrets = new SecretBox(directory);
        if (directory == null) return;
        Recover();
        _log = OpenLog();
    }

    public string? Directory => _directory;

    /// <summary>Seals secrets kept in service state (SSM SecureString values) so no file holds them in plain text.</summary>
    public SecretBox Secrets { get; }

    public T Load<T>(string service) where T : new()
    {
        if (_directory == null) return new T();
        var path = Path.Combine(_directory, service + ".json");
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

    public static string Serialize<T>(T state) => JsonSerializer.Serialize(state, Json);

    /// <summary>
    /// Marks a service changed; <paramref name="snapshot"/> serialises its state (taking the service's own lock).
    /// A <paramref name="lazy"/> change (one a crash may undo harmlessly, like an SQS receipt: the message is simply
    /// delivered again) is written with the next flush but holds no answer back.
    /// </summary>
    public void MarkDirty(string service, Func<string> snapshot, bool lazy = false)
    {
        if (_directory == null) return;
        lock (_gate)
        {
            _dirty[service] = snapshot;
            _version++;
            if (!lazy) _required = _version;
        }
    }

    /// <summary>Completes once every change marked so far is on disk; the caller acknowledges its request after that.</summary>
    public Task WhenDurableAsync(CancellationToken cancellationToken = default)
    {
        if (_directory == null) return Task.CompletedTask;
        TaskCompletionSource done;
        bool start;
        lock (_gate)
        {
            if (_failure != null) return Task.FromException(new IOException($"The local cloud could not write its state: {_failure.Message}", _failure));
            if (_durable >= _required) return Task.CompletedTask;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((_required, done));
            start = !_flushing;
            _flushing = true;
        }
        if (start) _ = Task.Run(FlushLoop, CancellationToken.None);
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs while there are changes: snapshot, append, flush, release the waiters covered.</summary>
    void FlushLoop()
    {
        while (true)
        {
            KeyValuePair<string, Func<string>>[] pending;
            long version;
            lock (_gate)
            {
                if (_dirty.Count == 0)
                {
                    _flushing = false;
                    Release(_version, null);
                    return;
                }
                pending = _dirty.ToArray();
                _dirty.Clear();
                version = _version;
            }
            try
            {
                Append(pending);
                lock (_gate) Release(version, null);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _failure = e;
                    _flushing = false;
                    Release(long.MaxValue, e);
                }
                return;
            }
        }
    }

    /// <summary>Completes the waiters up to <paramref name="version"/> (under the gate).</summary>
    void Release(long version, Exception? error)
    {
        if (error == null) _durable = Math.Max(_durable, Math.Min(version, _version));
        _waiters.RemoveAll(w =>
        {
            if (w.Version > version) return false;
            if (error == null) w.Done.TrySetResult(); else w.Done.TrySetException(new IOException($"The local cloud could not write its state: {error.Message}", error));
            return true;
        });
    }

    /// <summary>One record per service: "checksum\tservice\tjson\n"; a crash mid-append leaves a tail that recovery ignores.</summary>
    void Append(KeyValuePair<string, Func<string>>[] pending)
    {
        var buffer = new MemoryStream();
        var snapshots = new List<(string Service, string Json)>();
        foreach (var (service, snapshot) in pending)
        {
            var json = snapshot();
            // A request that looked (a describe that ran the scheduler and changed nothing) costs no write.
            if (_written.TryGetValue(service, out var last) && last == json) continue;
            snapshots.Add((service, json));
            var payload = $"{service}\t{json}";
            buffer.Write(Encoding.UTF8.GetBytes($"{Checksum(payload)}\t{payload}\n"));
        }
        if (snapshots.Count == 0) return;
        lock (_log!)
        {
            _log.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            _log.Flush(flushToDisk: true);
            foreach (var (service, json) in snapshots) _logged[service] = _written[service] = json;
            if (_log.Length >= CheckpointBytes) Checkpoint();
        }
    }

    /// <summary>Writes the newest snapshot of each logged service to its own file, then starts an empty log (under the log's lock).</summary>
    void Checkpoint()
    {
        foreach (var (service, json) in _logged)
            DurableFiles.WriteAtomically(Path.Combine(_directory!, service + ".json"), Encoding.UTF8.GetBytes(json));
        _logged.Clear();
        _log!.SetLength(0);
        _log.Flush(flushToDisk: true);
    }

    /// <summary>At start: fold what the last run logged (up to the first damaged record) into the service files.</summary>
    void Recover()
    {
        var path = Path.Combine(_directory!, LogName);
        if (!File.Exists(path)) return;
        var latest = new Dictionary<string, string>();
        using (var reader = new StreamReader(path, Encoding.UTF8))
        {
            while (reader.ReadLine() is { } line)
            {
                var tab = line.IndexOf('\t');
                if (tab < 0 || line[..tab] != Checksum(line[(tab + 1)..])) break; // a torn tail: never acknowledged
                var payload = line[(tab + 1)..];
                var split = payload.IndexOf('\t');
                if (split < 0) break;
                latest[payload[..split]] = payload[(split + 1)..];
            }
        }
        foreach (var (service, json) in latest)
            DurableFiles.WriteAtomically(Path.Combine(_directory!, service + ".json"), Encoding.UTF8.GetBytes(json));
        File.Delete(path);
        DurableFiles.FlushDirectory(_directory!);
    }

    FileStream OpenLog()
    {
        var options = DurableFiles.NewPrivateFile(FileMode.OpenOrCreate, FileShare.Read); // readable by tools while it runs
        var log = new FileStream(Path.Combine(_directory!, LogName), options);
        log.Seek(0, SeekOrigin.End);
        DurableFiles.FlushDirectory(_directory!);
        return log;
    }

    static string Checksum(string payload) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)), 0, 8);

    /// <summary>Writes what is still pending, folds the log into the service files and closes it.</summary>
    public void Dispose()
    {
        if (_directory == null || _log == null) return;
        lock (_gate) _required = _version; // lazy changes too
        WhenDurableAsync().GetAwaiter().GetResult();
        lock (_log)
        {
            // Services not logged since the last checkpoint are already in their files.
            Checkpoint();
            _log.Dispose();
        }
        File.Delete(Path.Combine(_directory, LogName));
        _log = null;
    }
}
