namespace Ops.LocalCloud;

/// <summary>How a local cloud runs: port, where state lives, who may call, and how long lifecycles take.</summary>
public sealed record LocalCloudOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Host names answered besides loopback (127.0.0.0/8, [::1], localhost): every other Host gets 403, so no web page
    /// can reach the endpoint by rebinding its own name to 127.0.0.1.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Where state is kept between runs; null keeps it in memory only.</summary>
    public string? StateDirectory { get; init; }

    public string AccessKey { get; init; } = "test";
    public string SecretKey { get; init; } = "test";
    public string Account { get; init; } = "123456789012";
    public string Region { get; init; } = "us-east-1";

    /// <summary>What an acknowledged change survives (with a state directory): the process's death, or a power loss too.</summary>
    public StateDurability Durability { get; init; } = StateDurability.Disk;

    /// <summary>How long resources take to move through their states.</summary>
    public LifecycleDelays Delays { get; init; } = LifecycleDelays.Realistic;

    /// <summary>The clock lifecycles follow (tests substitute one they advance by hand). Signatures are always checked against real time.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// With a state directory and no <see cref="LocalBackends.Tasks"/>, every ECS task runs as a real host process
    /// (its local command, or its image's entrypoint); false keeps tasks as bookkeeping that follows the clock.
    /// </summary>
    public bool RunTasks { get; init; } = true;

    /// <summary>Real parts behind resources (worker processes, PostgreSQL, Redis, a registry); none by default.</summary>
    public LocalBackends Backends { get; init; } = new();

    /// <summary>
    /// Runs a real docker-registry behind ECR (with a state directory, when docker-registry is on PATH and
    /// <see cref="LocalBackends.Registry"/> is not given); off by default so embedders and tests opt in.
    /// </summary>
    public bool RunRegistry { get; init; }

    /// <summary>
    /// With a state directory, runs real PostgreSQL behind RDS instances and Redshift clusters and real Redis behind
    /// ElastiCache when their programs are installed (and the backends are not given); false keeps them bookkeeping.
    /// </summary>
    public bool RunDataStores { get; init; } = true;

    /// <summary>
    /// With a state directory, each Elastic Beanstalk environment with a version runs that version's Procfile <c>web:</c>
    /// process on a loopback port (its CNAME), and its health follows that process's answers; false keeps environments
    /// bookkeeping that follows the clock.
    /// </summary>
    public bool RunWebProcesses { get; init; } = true;

    /// <summary>The <c>AWS_*</c> variables a process the local cloud runs (a task, a web process) calls it back with: credentials, region, endpoint.</summary>
    internal Dictionary<string, string> ClientEnvironment(Uri url) => new(StringComparer.Ordinal)
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey, ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = Region, ["AWS_DEFAULT_REGION"] = Region, ["AWS_ENDPOINT_URL"] = url.ToString().TrimEnd('/'),
    };

    /// <summary>The loopback port of that registry (repository URIs are <c>127.0.0.1:port/name</c>); 0 picks a free port.</summary>
    public int RegistryPort { get; init; } = 5100;
}

/// <summary>Per resource type, how long each lifecycle step takes (zero in tests, a few seconds in demos).</summary>
public sealed record LifecycleDelays
{
    /// <summary>RDS instances: creating, then backing-up, then available; deleting.</summary>
    public TimeSpan Database { get; init; }

    /// <summary>Redshift clusters.</summary>
    public TimeSpan Warehouse { get; init; }

    /// <summary>ElastiCache clusters and replication groups.</summary>
    public TimeSpan Cache { get; init; }

    /// <summary>Elastic Beanstalk environments: Launching/Updating/Terminating.</summary>
    public TimeSpan Environment { get; init; }

    /// <summary>ECS tasks: PROVISIONING → PENDING → RUNNING, and stopping.</summary>
    public TimeSpan Task { get; init; }

    public static readonly LifecycleDelays Instant = new();

    public static readonly LifecycleDelays Realistic = new()
    {
        Database = TimeSpan.FromSeconds(6), Warehouse = TimeSpan.FromSeconds(6), Cache = TimeSpan.FromSeconds(4),
        Environment = TimeSpan.FromSeconds(5), Task = TimeSpan.FromSeconds(1),
    };
}
