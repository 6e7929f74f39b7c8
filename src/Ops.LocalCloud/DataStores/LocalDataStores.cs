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
        if (binaries.HasPostgres)
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

    public static LocalDataStores Start(LocalCloudOptions options) => new(options.StateDirectory, ServerBinaries.Find(), options.RunDataStores);

    public async ValueTask DisposeAsync()
    {
        if (Databases != null) await Databases.DisposeAsync();
        if (Warehouses != null) await Warehouses.DisposeAsync();
        if (Caches != null) await Caches.DisposeAsync();
    }
}
