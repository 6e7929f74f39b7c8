using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ops.LocalCloud.DataStores;

/// <summary>
/// Real Redis behind ElastiCache: one redis-server per cluster or replication group on 127.0.0.1, its data (RDB and AOF)
/// under <c>&lt;state&gt;/elasticache/&lt;id&gt;</c>, kept across restarts until the resource is deleted. Its configuration
/// goes to redis-server on standard input; the AUTH token is given as an ACL rule with the token's SHA-256 (Redis's own
/// form), so neither a command line nor a file ever holds the token itself.
/// </summary>
internal sealed class RedisServers(string stateDirectory, ServerBinaries binaries, Action<string> log) : ICacheBackend, IAsyncDisposable
{
    readonly ConcurrentDictionary<string, RedisEntry> _servers = new();
    readonly Lock _gate = new();
    bool _disposed;

    string Root => Path.Combine(stateDirectory, "elasticache");

    public BackendEndpoint? Provision(string id, string? authToken)
    {
        var directory = Path.Combine(Root, id);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); // a leftover of a resource deleted while stopped
        Directory.CreateDirectory(directory);
        // The hash, not the token: what Redis would keep in an ACL file itself.
        File.WriteAllText(Path.Combine(directory, "acl-hash"), authToken == null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(authToken))));
        return Start(id, directory);
    }

    public BackendEndpoint? Resume(string id)
    {
        var directory = Path.Combine(Root, id);
        return File.Exists(Path.Combine(directory, "acl-hash")) ? Start(id, directory) : null;
    }

    public string? Pending(string id) => _servers.TryGetValue(id, out var entry) ? entry.Status : null;

    public void Deprovision(string id, string? keepAs)
    {
        var directory = Path.Combine(Root, id);
        _servers.TryRemove(id, out var entry);
        _ = Task.Run(async () =>
        {
            if (entry != null)
            {
                await entry.Ready;
                if (entry.Process != null) await entry.Process.DisposeAsync();
            }
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        });
    }

    BackendEndpoint Start(string id, string directory)
    {
        var port = LoopbackPorts.Keep(Path.Combine(directory, "port"));
        var hash = File.ReadAllText(Path.Combine(directory, "acl-hash")).Trim();
        var user = hash.Length == 0 ? "user default on nopass ~* &* +@all" : $"user default on #{hash} ~* &* +@all";
        var config = string.Join('\n',
            "bind 127.0.0.1", $"port {port}", $"dir \"{directory}\"", "protected-mode yes", "daemonize no", "appendonly yes",
            "save 60 1", "logfile \"\"", user) + "\n";
        var entry = new RedisEntry();
        entry.Ready = Task.Run(async () =>
        {
            try
            {
                lock (_gate)
                    if (_disposed) return;
                var process = ServerProcess.Start([binaries.RedisServer!, "-"], directory, Path.Combine(directory, "redis.log"), stopSignal: 15,
                    Tasks.ChildRecords.In(stateDirectory), "redis-" + id, stdin: config);
                lock (_gate)
                {
                    if (!_disposed) entry.Process = process;
                }
                if (entry.Process == null)
                {
                    await process.DisposeAsync(); // the local cloud stopped while this one was starting
                    return;
                }
                for (var waited = 0; ; waited += 100)
                {
                    if (entry.Process.HasExited) throw new InvalidOperationException($"redis-server exited at start: {LastLine(directory)}");
                    if (await AcceptsAsync(port)) break;
                    if (waited > 30_000) throw new InvalidOperationException("redis-server did not accept connections within 30 s");
                    await Task.Delay(100);
                }
                entry.Status = null;
            }
            catch (Exception e)
            {
                entry.Status = "create-failed";
                log($"elasticache {id}: Redis failed: {e.Message}");
            }
        });
        _servers[id] = entry;
        return new BackendEndpoint("127.0.0.1", port);
    }

    static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static string LastLine(string directory)
    {
        var file = Path.Combine(directory, "redis.log");
        return File.Exists(file) ? File.ReadLines(file).LastOrDefault(l => l.Trim().Length > 0) ?? "(no output)" : "(no output)";
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate) _disposed = true;
        foreach (var entry in _servers.Values)
        {
            await entry.Ready;
            if (entry.Process != null) await entry.Process.DisposeAsync();
        }
    }
}
