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

    /// <summary>
    /// The operator's access key: the only one that may make the local cloud start a program (see
    /// <see cref="OperatorCredentials"/>). Empty (the default): the pair kept in the state directory, made on first
    /// start, or a fresh pair in memory. The public <c>test</c>/<c>test</c> keys are accepted besides it, for
    /// everything that starts nothing.
    /// </summary>
    public string AccessKey { get; init; } = "";

    /// <summary>The operator's secret key (empty with an empty <see cref="AccessKey"/>).</summary>
    public string SecretKey { get; init; } = "";
    public string Account { get; init; } = "123456789012";
    public string Region { get; init; } = "us-east-1";

    /// <summary>What an acknowledged change survives (with a state directory): the process's death, or a power loss too.</summary>
    public StateDurability Durability { get; init; } = StateDurability.Disk;

    /// <summary>The write-ahead log's size at which it is compacted into the service files, in the background (tests make it small).</summary>
    internal long CompactLogAtBytes { get; init; } = 8 * 1024 * 1024;

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

    /// <summary>
    /// Requests signed with a role's temporary credentials (what each task and web process gets from the credentials
    /// endpoint, or AssumeRole) are evaluated against the role's policies and refused with AccessDenied when not
    /// allowed. False evaluates nothing (the credentials are still issued). The operator's and public keys are never evaluated.
    /// </summary>
    public bool EnforceIam { get; init; } = true;

    /// <summary>
    /// The <c>AWS_*</c> variables a process the local cloud runs (a task, a web process) calls it back with: the public
    /// keys (a task or web app never needs to start another program), region, endpoint.
    /// </summary>
    internal Dictionary<string, string> ClientEnvironment(Uri url) => new(StringComparer.Ordinal)
    {
        ["AWS_ACCESS_KEY_ID"] = OperatorCredentials.PublicAccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = OperatorCredentials.PublicSecretKey,
        ["AWS_REGION"] = Region,
        ["AWS_DEFAULT_REGION"] = Region,
        ["AWS_ENDPOINT_URL"] = url.ToString().TrimEnd('/'),
    };

    /// <summary>These options with the operator's keys filled in (from the state directory, or fresh); refuses the public keys as the operator's.</summary>
    internal LocalCloudOptions WithOperatorKeys()
    {
        if (AccessKey.Length > 0)
        {
            if (SecretKey.Length == 0) throw new ArgumentException("LocalCloudOptions.SecretKey is empty while AccessKey is set; give both or neither.");
            if (AccessKey == OperatorCredentials.PublicAccessKey)
                throw new ArgumentException($"LocalCloudOptions.AccessKey may not be the public '{OperatorCredentials.PublicAccessKey}' key: the operator's keys are the ones that may start programs.");
            return this;
        }
        var keys = StateDirectory != null ? OperatorCredentials.ForStateDirectory(StateDirectory) : OperatorCredentials.Generate();
        return this with { AccessKey = keys.AccessKey, SecretKey = keys.SecretKey };
    }

    /// <summary>
    /// The loopback port of that registry (repository URIs are <c>127.0.0.1:port/name</c>). Null (the default): the state
    /// directory's own port, chosen at its first start (5100 when free, else a free one) and kept, so two checkouts run
    /// side by side; 0 picks a free port for one start; another number is used and kept.
    /// </summary>
    public int? RegistryPort { get; init; }
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
        Database = TimeSpan.FromSeconds(6),
        Warehouse = TimeSpan.FromSeconds(6),
        Cache = TimeSpan.FromSeconds(4),
        Environment = TimeSpan.FromSeconds(5),
        Task = TimeSpan.FromSeconds(1),
    };
}
