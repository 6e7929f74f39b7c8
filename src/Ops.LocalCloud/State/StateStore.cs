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
    readonly StateDurability _durability;
    readonly CancellationTokenSource _stopping = new();
    Thread? _syncer;
    bool _unsynced; // appended to the log but not yet flushed to disk (Process durability)
    readonly object _gate = new();
    readonly Dictionary<string, Func<string>> _dirty = new();
    readonly Dictionary<string, string> _written = new(); // newest snapshot per service on disk (log or file)
    readonly HashSet<string> _logged = []; // services whose newest snapshot is in the log, not yet in their file
    readonly SemaphoreSlim _flushing = new(1, 1);
    readonly AsyncLocal<RequestMark?> _request = new();
    long _version;   // bumped by every change
    long _durable;   // every change up to this version is on disk
    Exception? _failure;
    FileStream? _log;

    public StateStore(string? directory, StateDurability durability = StateDurability.Disk)
    {
        _directory = directory;
        _durability = durability;
        if (directory != null)
        {
            DurableFiles.CreatePrivateDirectory(directory);
            DurableFiles.Tighten(directory);
        }
        Secrets = new SecretBox(directory);
        if (directory == null) return;
        Recover();
        _log = OpenLog();
        if (durability == StateDurability.Process)
        {
            _syncer = new Thread(SyncLoop) { IsBackground = true, Name = "local-cloud state sync" };
            _syncer.Start();
        }
    }

    /// <summary>Process durability: flushes what was appended to the disk every 10 ms, off the request path.</summary>
    void SyncLoop()
    {
        while (!_stopping.Token.WaitHandle.WaitOne(10))
        {
            try
            {
                lock (_log!)
                {
                    if (!_unsynced) continue;
                    _log.Flush(flushToDisk: true);
                    _unsynced = false;
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                lock (_gate) _failure ??= e;
                return;
            }
        }
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

    /// <summary>Starts tracking the changes of the request running in this async flow; pass the mark to <see cref="WhenDurableAsync"/>.</summary>
    public RequestMark BeginRequest() => _request.Value = new RequestMark();

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
            if (!lazy && _request.Value is { } mark) mark.Version = _version;
        }
    }

    /// <summary>
    /// Completes once the changes a request made (its <paramref name="mark"/>; every change when null) are on disk; the
    /// request is answered after that. Group commit: the first waiter writes every pending change of every request
    /// in one append and one flush; the others find theirs already written.
    /// </summary>
    public async Task WhenDurableAsync(RequestMark? mark = null, CancellationToken cancellationToken = default)
    {
        if (_directory == null) return;
        long required;
        lock (_gate)
        {
            ThrowIfFailed();
            required = mark?.Version ?? _version;
            if (_durable >= required) return;
        }
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            KeyValuePair<string, Func<string>>[] pending;
            long version;
            lock (_gate)
            {
                ThrowIfFailed();
                if (_durable >= required) return; // a flush that ran while this one waited took it
                pending = _dirty.ToArray();
                _dirty.Clear();
                version = _version;
            }
            try
            {
                Append(pending);
            }
            catch (Exception e)
            {
                lock (_gate) _failure = e;
                throw new IOException($"The local cloud could not write its state: {e.Message}", e);
            }
            lock (_gate) _durable = Math.Max(_durable, version);
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>After a failed write nothing is acknowledged any more: the state on disk no longer follows the state served.</summary>
    void ThrowIfFailed()
    {
        if (_failure != null) throw new IOException($"The local cloud could not write its state: {_failure.Message}", _failure);
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
            // Disk: on the disk before the answer. Process: in the operating system before the answer, on the disk
            // within 10 ms (SyncLoop); either way the bytes are out of this process when the request is answered.
            _log.Flush(flushToDisk: _durability == StateDurability.Disk);
            _unsynced = _durability == StateDurability.Process;
            foreach (var (service, json) in snapshots)
            {
                _written[service] = json;
                _logged.Add(service);
            }
            if (_log.Length >= CheckpointBytes) Checkpoint();
        }
    }

    /// <summary>Writes the newest snapshot of each logged service to its own file, then starts an empty log (under the log's lock).</summary>
    void Checkpoint()
    {
        foreach (var service in _logged)
            DurableFiles.WriteAtomically(Path.Combine(_directory!, service + ".json"), Encoding.UTF8.GetBytes(_written[service]));
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
        WhenDurableAsync().GetAwaiter().GetResult(); // every change, lazy ones too
        _stopping.Cancel();
        _syncer?.Join();
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
