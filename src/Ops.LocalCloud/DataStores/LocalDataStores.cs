using System.Collections.Concurrent;

namespace Ops.LocalCloud.DataStores;

/// <summary>
/// The real servers a local cloud puts behind its data stores when it has a state directory and the programs are
/// installed: PostgreSQL behind RDS and Redshift, Redis behind ElastiCache. Without them those resources are bookkeeping.
/// </summary>
internal sealed class LocalDataStores : IAsyncDisposable
{
    readonly ConcurrentQueue<string> _problems = new();

    public PostgresServers? Databases { get; }

    public PostgresServers? Warehouses { get; }

    public RedisServers? Caches { get; }

    /// <summary>For a user to read: what is real and what is simulated, and how to make it real.</summary>
    public string Status { get; }

    /// <summary>Servers that failed to start, newest last (also shown as the resource's failed status).</summary>
    public IReadOnlyList<string> Problems => _problems.ToArray();

    LocalDataStores(string? stateDirectory, ServerBinaries binaries, bool run)
    {
        if (!run) { Status = "data stores: simulated (not requested)"; return; }
        if (stateDirectory == null) { Status = "data stores: simulated (real servers need a state directory)"; return; }
        var parts = new List<string>();
        if (binaries.HasPostgres && UnreachableParent(stateDirectory) is { } closed)
            parts.Add($"RDS and Redshift simulated (PostgreSQL runs as the postgres user, who cannot reach the state directory through {closed}; chmod o+x it for real databases)");
        else if (binaries.HasPostgres)
        {
            Databases = new PostgresServers(stateDirectory, "rds", binaries, _problems.Enqueue);
            Warehouses = new PostgresServers(stateDirectory, "redshift", binaries, _problems.Enqueue);
            parts.Add($"PostgreSQL ({binaries.PostgresBin}) behind RDS and Redshift");
        }
        else parts.Add(binaries.PostgresBin == null
            ? "RDS and Redshift simulated (install postgresql for real databases)"
            : $"RDS and Redshift simulated ({binaries.PostgresProblem})");
        if (binaries.HasRedis)
        {
            Caches = new RedisServers(stateDirectory, binaries, _problems.Enqueue);
            parts.Add($"Redis ({binaries.RedisServer}) behind ElastiCache");
        }
        else parts.Add("ElastiCache simulated (install redis-server for real caches)");
        Status = "data stores: " + string.Join("; ", parts);
    }

    /// <summary>
    /// As root, the first directory above the state directory that other users cannot search (PostgreSQL, running as
    /// postgres, could not reach its data through it), or null. The state directory and what is below it are the local
    /// cloud's own and are opened for searching when a server starts.
    /// </summary>
    static string? UnreachableParent(string stateDirectory)
    {
        if (OperatingSystem.IsWindows() || !ServerBinaries.IsRoot) return null;
        for (var dir = new DirectoryInfo(Path.GetFullPath(stateDirectory)).Parent; dir != null; dir = dir.Parent)
            if (dir.Exists && !dir.UnixFileMode.HasFlag(UnixFileMode.OtherExecute)) return dir.FullName;
        return null;
    }

    public static LocalDataStores Start(LocalCloudOptions options) => new(options.StateDirectory, ServerBinaries.Find(), options.RunDataStores);

    public async ValueTask DisposeAsync()
    {
        if (Databases != null) await Databases.DisposeAsync();
        if (Warehouses != null) await Warehouses.DisposeAsync();
        if (Caches != null) await Caches.DisposeAsync();
    }
}
