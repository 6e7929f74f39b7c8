using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ops.LocalCloud.State;

/// <summary>
/// Keeps each service's state durable in a directory, so separate runs (and a run after a crash) see the same cloud.
/// A change is acknowledged only once it is on disk: <see cref="MarkDirty"/> (a whole service) or <see cref="MarkRecord"/>
/// (one record: a DynamoDB item, an SQS message) records what changed, and <see cref="WhenDurableAsync"/> completes when
/// an entry taken after that change has been appended to the write-ahead log and flushed (group commit: one flush
/// covers every change made while the previous one ran). A record costs what the record costs, whatever the size of
/// the service. When the log grows past a few MiB it is compacted in the background: the log is set aside, a new one
/// takes the appends, the services are written to their files, and the old log is deleted. At start the logs left by
/// the last run are replayed into the files (<see cref="StateLogReplay"/>).
/// </summary>
internal sealed class StateStore : IDisposable
{
    const string LogName = "wal.log";
    const string OldLogName = "wal.old.log";

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
    readonly object _logLock = new();
    readonly Dictionary<string, Func<string>> _dirty = new();
    readonly Dictionary<string, PendingRecord> _dirtyRecords = new(StringComparer.Ordinal);
    readonly Dictionary<string, Func<string>> _snapshots = new(StringComparer.Ordinal); // how to snapshot each service that changed
    readonly Dictionary<string, string> _written = new(); // newest snapshot per service on disk, when no record was logged after it
    readonly HashSet<string> _logged = []; // services with entries in the current log, not yet in their file
    Task _compaction = Task.CompletedTask;
    readonly SemaphoreSlim _flushing = new(1, 1);
    readonly AsyncLocal<RequestMark?> _request = new();
    long _version;   // bumped by every change
    long _durable;   // every change up to this version is on disk
    Exception? _failure;
    FileStream? _log;

    readonly long _compactAtBytes;

    public StateStore(string? directory, StateDurability durability = StateDurability.Disk, long compactAtBytes = 8 * 1024 * 1024)
    {
        _directory = directory;
        _durability = durability;
        _compactAtBytes = compactAtBytes;
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
                lock (_logLock)
                {
                    if (!_unsynced) continue;
                    _log!.Flush(flushToDisk: true);
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
            _snapshots[service] = snapshot;
            _version++;
            if (!lazy && _request.Value is { } mark) mark.Version = _version;
        }
    }

    /// <summary>
    /// Marks one record of a service changed: <paramref name="value"/> serialises it as it is when written (null: it is gone),
    /// <paramref name="snapshot"/> the whole service (for compaction). Lazy as in <see cref="MarkDirty"/>.
    /// </summary>
    public void MarkRecord(string service, StateRecord record, Func<string?> value, Func<string> snapshot, bool lazy = false)
    {
        if (_directory == null) return;
        lock (_gate)
        {
            _dirtyRecords[service + '\u001e' + record.Key] = new PendingRecord(service, record, value);
            _snapshots[service] = snapshot;
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
            PendingRecord[] records;
            long version;
            lock (_gate)
            {
                ThrowIfFailed();
                if (_durable >= required) return; // a flush that ran while this one waited took it
                pending = _dirty.ToArray();
                _dirty.Clear();
                records = [.. _dirtyRecords.Values];
                _dirtyRecords.Clear();
                version = _version;
            }
            try
            {
                Append(pending, records);
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

    /// <summary>
    /// One line per entry, "checksum\tservice\tpayload\n": a snapshot's payload is the service's JSON, a record's is "@"
    /// and <c>{"p": path, "k": list key, "v": value}</c>. Snapshots come first: a record may be in a table or queue that
    /// the snapshot creates; a service snapshotted in this flush needs none of its records. A crash mid-append leaves a
    /// tail that recovery ignores.
    /// </summary>
    void Append(KeyValuePair<string, Func<string>>[] pending, PendingRecord[] records)
    {
        var buffer = new MemoryStream();
        var snapshots = new List<(string Service, string Json)>();
        var lines = 0;
        foreach (var (service, snapshot) in pending)
        {
            var json = snapshot();
            // A request that looked (a describe that ran the scheduler and changed nothing) costs no write.
            lock (_logLock)
                if (_written.TryGetValue(service, out var last) && last == json) continue;
            snapshots.Add((service, json));
            Line(buffer, service, json);
            lines++;
        }
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        var snapshotted = pending.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (snapshotted.Contains(record.Service)) continue;
            var value = record.Value() ?? "null";
            var path = JsonSerializer.Serialize(record.Record.Path, Json);
            var key = record.Record.ListKey == null ? "null" : JsonSerializer.Serialize(record.Record.ListKey, Json);
            Line(buffer, record.Service, $"@{{\"p\":{path},\"k\":{key},\"v\":{value}}}");
            recorded.Add(record.Service);
            lines++;
        }
        if (lines == 0) return;
        lock (_logLock)
        {
            _log!.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            // Disk: on the disk before the answer. Process: in the operating system before the answer, on the disk
            // within 10 ms (SyncLoop); either way the bytes are out of this process when the request is answered.
            _log.Flush(flushToDisk: _durability == StateDurability.Disk);
            _unsynced = _durability == StateDurability.Process;
            foreach (var (service, json) in snapshots)
            {
                _written[service] = json;
                _logged.Add(service);
            }
            foreach (var service in recorded)
            {
                _written.Remove(service); // the file plus this log no longer equal that snapshot
                _logged.Add(service);
            }
            if (_log.Length >= _compactAtBytes && _compaction.IsCompleted) _compaction = Task.Run(Compact);
        }
    }

    /// <summary>
    /// Appends "checksum\tservice\tpayload\n" in UTF-8, encoding the entry once: the same bytes are hashed (the
    /// checksum replay compares) and copied.
    /// </summary>
    static void Line(MemoryStream buffer, string service, string payload)
    {
        var serviceBytes = Encoding.UTF8.GetByteCount(service);
        var length = serviceBytes + 1 + Encoding.UTF8.GetByteCount(payload);
        var entry = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encoding.UTF8.GetBytes(service, entry);
            entry[serviceBytes] = (byte)'\t';
            Encoding.UTF8.GetBytes(payload, entry.AsSpan(serviceBytes + 1));
            buffer.Write(Encoding.ASCII.GetBytes(Checksum(entry.AsSpan(0, length))));
            buffer.WriteByte((byte)'\t');
            buffer.Write(entry, 0, length);
            buffer.WriteByte((byte)'\n');
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(entry);
        }
    }

    /// <summary>
    /// Background compaction: sets the log aside (appends go on into a new one), writes every service the old log holds
    /// to its file from a fresh snapshot (which holds at least what the old log does), then deletes the old log. A crash
    /// at any point leaves logs whose replay ends in the same state.
    /// </summary>
    void Compact()
    {
        try
        {
            string[] services;
            lock (_logLock)
            {
                _log!.Flush(flushToDisk: true);
                _log.Dispose();
                File.Move(Path.Combine(_directory!, LogName), Path.Combine(_directory!, OldLogName));
                _log = OpenLog();
                _unsynced = false;
                services = [.. _logged];
                _logged.Clear();
                _written.Clear(); // what it held is in the log being set aside: a snapshot equal to it must be logged again
            }
            WriteServices(services);
            File.Delete(Path.Combine(_directory!, OldLogName));
            DurableFiles.FlushDirectory(_directory!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            lock (_gate) _failure ??= e;
        }
    }

    /// <summary>Writes a fresh snapshot of each of <paramref name="services"/> to its file (each taken under its service's lock).</summary>
    void WriteServices(IEnumerable<string> services)
    {
        foreach (var service in services)
        {
            Func<string>? snapshot;
            lock (_gate) snapshot = _snapshots.GetValueOrDefault(service);
            string? json;
            if (snapshot != null) json = snapshot();
            else lock (_logLock) json = _written.GetValueOrDefault(service);
            if (json != null) DurableFiles.WriteAtomically(Path.Combine(_directory!, service + ".json"), Encoding.UTF8.GetBytes(json));
        }
    }

    /// <summary>At start: replay what the last run logged (the set-aside log, then the current one, each up to its first damaged entry).</summary>
    void Recover()
    {
        var logs = new[] { OldLogName, LogName }.Select(n => Path.Combine(_directory!, n)).Where(File.Exists).ToList();
        if (logs.Count == 0) return;
        var replay = new StateLogReplay(LoadDocument);
        foreach (var path in logs)
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                var tab = line.IndexOf('\t');
                if (tab < 0 || line[..tab] != Checksum(line[(tab + 1)..])) break; // a torn tail: never acknowledged
                var payload = line[(tab + 1)..];
                var split = payload.IndexOf('\t');
                if (split < 0) break;
                var (service, body) = (payload[..split], payload[(split + 1)..]);
                if (body.StartsWith('@')) replay.Record(service, body[1..]);
                else replay.Snapshot(service, body);
            }
        }
        foreach (var (service, document) in replay.Documents)
            DurableFiles.WriteAtomically(Path.Combine(_directory!, service + ".json"), Encoding.UTF8.GetBytes(StateLogReplay.Serialize(document)));
        foreach (var path in logs) File.Delete(path);
        DurableFiles.FlushDirectory(_directory!);
    }

    /// <summary>A service's file as a JSON document (empty when it has none), for the replay.</summary>
    JsonObject LoadDocument(string service)
    {
        var path = Path.Combine(_directory!, service + ".json");
        if (!File.Exists(path)) return [];
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Local cloud state {path} is damaged ({e.Message}); delete it to start {service} afresh.", e);
        }
    }

    FileStream OpenLog()
    {
        var options = DurableFiles.NewPrivateFile(FileMode.OpenOrCreate, FileShare.Read); // readable by tools while it runs
        var log = new FileStream(Path.Combine(_directory!, LogName), options);
        log.Seek(0, SeekOrigin.End);
        DurableFiles.FlushDirectory(_directory!);
        return log;
    }

    static string Checksum(string payload) => Checksum(Encoding.UTF8.GetBytes(payload));

    /// <summary>The first 8 bytes of the entry's SHA-256, as 16 lower-case hex digits.</summary>
    static string Checksum(ReadOnlySpan<byte> entry)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(entry, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>Writes what is still pending, writes every changed service to its file and deletes the log.</summary>
    public void Dispose()
    {
        if (_directory == null || _log == null) return;
        _compaction.GetAwaiter().GetResult();
        WhenDurableAsync().GetAwaiter().GetResult(); // every change, lazy ones too
        _stopping.Cancel();
        _syncer?.Join();
        string[] services;
        lock (_gate) services = [.. _snapshots.Keys];
        WriteServices(services);
        lock (_logLock)
        {
            _log.Dispose();
            _log = null;
        }
        File.Delete(Path.Combine(_directory, LogName));
        File.Delete(Path.Combine(_directory, OldLogName));
        DurableFiles.FlushDirectory(_directory);
    }
}
