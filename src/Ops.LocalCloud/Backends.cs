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

    /// <summary>A real database behind Redshift clusters (PostgreSQL speaks Redshift's wire protocol).</summary>
    public IDatabaseBackend? Warehouses { get; init; }

    /// <summary>A real cache behind ElastiCache clusters and replication groups (Redis).</summary>
    public ICacheBackend? Caches { get; init; }

    /// <summary>A real OCI registry behind ECR repositories.</summary>
    public IRegistryBackend? Registry { get; init; }

    /// <summary>Pulls and unpacks task images for the built-in task runner (set by the local cloud when it runs its registry).</summary>
    public Tasks.IImageSource? Images { get; init; }
}

/// <summary>An ECS task as its runner sees it: its cluster and id (the last part of its ARN), what it runs, with which environment, as which role.</summary>
public sealed record LocalTask(string Cluster, string TaskId, string TaskDefinitionArn, string Group, JsonArray ContainerDefinitions,
    string? TaskRoleArn = null);

/// <summary>Starts and stops whatever runs behind an ECS task.</summary>
public interface ITaskRunner
{
    void Started(LocalTask task);
    void Stopping(LocalTask task, string reason);
}

/// <summary>Where a provisioned data store answers.</summary>
public sealed record BackendEndpoint(string Address, int Port);

/// <summary>
/// Provisions a database for an RDS instance or a Redshift cluster. The master password is handed over, never stored by
/// the local cloud. Called under the service's lock: slow work (initdb, starting a server) runs in the background, and
/// <see cref="Pending"/> says when it is done.
/// </summary>
public interface IDatabaseBackend
{
    /// <summary>Starts a new database; null when this backend does not serve <paramref name="engine"/>.</summary>
    BackendEndpoint? Provision(string instanceId, string engine, string? masterUser, string? masterPassword, string? databaseName);

    /// <summary>Starts again a database provisioned before the local cloud restarted; null when there is none.</summary>
    BackendEndpoint? Resume(string instanceId) => null;

    /// <summary>Null when the database serves (or is not this backend's); else the status to show: creating, failed.</summary>
    string? Pending(string instanceId) => null;

    /// <summary>Changes the master user's password (ModifyDBInstance, ModifyCluster).</summary>
    void SetPassword(string instanceId, string password) { }

    /// <summary>Stops and removes the database; with <paramref name="keepAs"/> (a final snapshot's id) its data is kept under that name first.</summary>
    void Deprovision(string instanceId, string? keepAs);
}

/// <summary>Provisions a cache for an ElastiCache cluster or replication group (the AUTH token handed over, never stored by the local cloud).</summary>
public interface ICacheBackend
{
    /// <summary>Starts a new cache; null when this backend cannot.</summary>
    BackendEndpoint? Provision(string id, string? authToken);

    /// <summary>Starts again a cache provisioned before the local cloud restarted; null when there is none.</summary>
    BackendEndpoint? Resume(string id) => null;

    /// <summary>Null when the cache serves (or is not this backend's); else the status to show: creating, create-failed.</summary>
    string? Pending(string id) => null;

    /// <summary>Stops and removes the cache; with <paramref name="keepAs"/> (a final snapshot's name) its data is kept first.</summary>
    void Deprovision(string id, string? keepAs);
}

/// <summary>Says where images of an ECR repository are pushed and pulled.</summary>
public interface IRegistryBackend
{
    string RepositoryUri(string account, string region, string repository);
}
