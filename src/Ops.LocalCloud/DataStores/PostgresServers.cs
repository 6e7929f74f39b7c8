using System.Collections.Concurrent;

namespace Ops.LocalCloud.DataStores;

/// <summary>
/// Real PostgreSQL behind one kind of resource (RDS instances under <c>&lt;state&gt;/rds</c>, Redshift clusters under
/// <c>&lt;state&gt;/redshift</c>): one cluster per resource, kept across restarts until the resource is deleted; a final
/// snapshot keeps a copy of the data under <c>&lt;state&gt;/snapshots/&lt;kind&gt;/&lt;id&gt;</c>.
/// </summary>
internal sealed class PostgresServers(string stateDirectory, string kind, ServerBinaries binaries, Action<string> log) : IDatabaseBackend, IAsyncDisposable
{
    readonly ConcurrentDictionary<string, PostgresServer> _servers = new();
    readonly ConcurrentDictionary<string, Task> _work = new();

    string Root => Path.Combine(stateDirectory, kind);

    public BackendEndpoint? Provision(string instanceId, string engine, string? masterUser, string? masterPassword, string? databaseName)
    {
        if (!engine.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && kind != "redshift") return null;
        var directory = Path.Combine(Root, instanceId);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); // a leftover of a resource deleted while stopped
        Directory.CreateDirectory(directory);
        var server = new PostgresServer(directory, LoopbackPorts.Keep(Path.Combine(directory, "port")), binaries, stateDirectory);
        _servers[instanceId] = server;
        Track(instanceId, server, server.CreateAsync(masterUser ?? "postgres", masterPassword, databaseName ?? (kind == "redshift" ? "dev" : null)));
        return new BackendEndpoint("127.0.0.1", server.Port);
    }

    public BackendEndpoint? Resume(string instanceId)
    {
        var directory = Path.Combine(Root, instanceId);
        if (!Directory.Exists(Path.Combine(directory, "pgdata"))) return null;
        var server = new PostgresServer(directory, LoopbackPorts.Keep(Path.Combine(directory, "port")), binaries, stateDirectory);
        _servers[instanceId] = server;
        Track(instanceId, server, server.ResumeAsync());
        return new BackendEndpoint("127.0.0.1", server.Port);
    }

    public string? Pending(string instanceId) => _servers.TryGetValue(instanceId, out var server) ? server.Pending : null;

    public void SetPassword(string instanceId, string password)
    {
        if (!_servers.TryGetValue(instanceId, out var server)) return;
        var before = Previous(instanceId);
        Track(instanceId, server, Task.Run(async () =>
        {
            await before;
            await server.SetPasswordAsync(password, CancellationToken.None);
        }));
    }

    public void Deprovision(string instanceId, string? keepAs)
    {
        // A resource deleted while its server never started again (the local cloud restarted mid-deletion) still has its data to keep or remove.
        var directory = Path.Combine(Root, instanceId);
        if (!_servers.TryRemove(instanceId, out var server))
        {
            if (!Directory.Exists(directory)) return;
            server = new PostgresServer(directory, 0, binaries, stateDirectory);
        }
        var before = Previous(instanceId);
        Track(instanceId, server, Task.Run(async () =>
        {
            await before;
            await server.DisposeAsync();
            if (keepAs != null)
            {
                var snapshot = Path.Combine(stateDirectory, "snapshots", kind, keepAs);
                CopyDirectory(Path.Combine(server.Directory, "pgdata"), Path.Combine(snapshot, "pgdata"));
                log($"{kind} {instanceId}: data kept in {snapshot}");
            }
            Directory.Delete(server.Directory, recursive: true);
        }));
    }

    /// <summary>Runs <paramref name="work"/> after whatever this resource was doing, and logs a failure.</summary>
    void Track(string id, PostgresServer server, Task work) =>
        _work[id] = work.ContinueWith(t =>
        {
            if (t.Exception is { } e) log($"{kind} {id}: {e.GetBaseException().Message}");
            else if (server.Failure is { } failure) log($"{kind} {id}: PostgreSQL failed: {failure}");
        }, TaskScheduler.Default);

    Task Previous(string id) => _work.TryGetValue(id, out var t) ? t : Task.CompletedTask;

    static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_work.Values);
        await Task.WhenAll(_servers.Values.Select(s => s.DisposeAsync().AsTask()));
    }
}
