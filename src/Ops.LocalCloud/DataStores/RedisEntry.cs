namespace Ops.LocalCloud.DataStores;

/// <summary>One redis-server a <see cref="RedisServers"/> started: its process, when it is ready, and the status to show until then.</summary>
internal sealed class RedisEntry
{
    public ServerProcess? Process { get; set; }

    public Task Ready { get; set; } = Task.CompletedTask;

    public volatile string? Status = "creating";
}
