using System.Text.Json.Nodes;

namespace Ops.LocalCloud;

/// <summary>
/// Real parts a local cloud can put behind its resources. Without them resources are bookkeeping only.
/// Implementations are called while the service holds its lock: return quickly, do slow work in the background.
/// </summary>
public sealed record LocalBackends
{
    /// <summary>Processes behind ECS tasks (Ops.Worker).</summary>
    public ITaskRunner? Tasks { get; init; }

    /// <summary>A real database behind RDS instances (PostgreSQL).</summary>
    public IDatabaseBackend? Databases { get; init; }

    /// <summary>A real cache behind ElastiCache clusters and replication groups (Redis).</summary>
    public ICacheBackend? Caches { get; init; }

    /// <summary>A real OCI registry behind ECR repositories.</summary>
    public IRegistryBackend? Registry { get; init; }

    /// <summary>Pulls and unpacks task images for the built-in task runner (set by the local cloud when it runs its registry).</summary>
    public Tasks.IImageSource? Images { get; init; }
}

/// <summary>An ECS task as its runner sees it: its cluster and id (the last part of its ARN), what it runs, with which environment.</summary>
public sealed record LocalTask(string Cluster, string TaskId, string TaskDefinitionArn, string Group, JsonArray ContainerDefinitions);

/// <summary>Starts and stops whatever runs behind an ECS task.</summary>
public interface ITaskRunner
{
    void Started(LocalTask task);
    void Stopping(LocalTask task, string reason);
}

/// <summary>Where a provisioned data store answers.</summary>
public sealed record BackendEndpoint(string Address, int Port);

/// <summary>Provisions a database for an RDS instance (the master password is handed over, never stored by the local cloud).</summary>
public interface IDatabaseBackend
{
    BackendEndpoint Provision(string instanceId, string engine, string? masterUser, string? masterPassword, string? databaseName);
    void Deprovision(string instanceId);
}

/// <summary>Provisions a cache for an ElastiCache cluster or replication group.</summary>
public interface ICacheBackend
{
    BackendEndpoint Provision(string id);
    void Deprovision(string id);
}

/// <summary>Says where images of an ECR repository are pushed and pulled.</summary>
public interface IRegistryBackend
{
    string RepositoryUri(string account, string region, string repository);
}
