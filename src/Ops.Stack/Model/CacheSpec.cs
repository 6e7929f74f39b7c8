namespace Ops.Stack.Model;

/// <summary>The stage's ElastiCache Redis replication group: encrypted at rest and in transit, auth token from SSM, events to an SNS topic.</summary>
public sealed record CacheSpec
{
    /// <summary>The replication group id (<c>iotile-redis-{stage}</c>; 1–40 characters).</summary>
    public required string ReplicationGroup { get; init; }

    /// <summary>Node type (cache.t4g.micro, prod cache.m7g.large).</summary>
    public required string NodeType { get; init; }

    /// <summary>Redis engine version (7.1).</summary>
    public string EngineVersion { get; init; } = "7.1";

    /// <summary>Cache nodes: 1 is a primary alone; 2 or more add replicas and automatic failover (prod 2).</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>The secret holding the AUTH token (<c>RedisAuthToken</c>).</summary>
    public string AuthSecret { get; init; } = "RedisAuthToken";
}
