namespace Ops.Stack.Model;

/// <summary>The Elastic Beanstalk web tier: application, environment, platform, the source bundle's directory and its waits.</summary>
public sealed record WebSpec
{
    /// <summary>The Elastic Beanstalk application (<c>iotile-cloud</c>, shared by every stage).</summary>
    public string Application { get; init; } = "iotile-cloud";

    /// <summary>The stage's environment (<c>iotile-cloud-{stage}</c>; 4–40 letters, digits and -).</summary>
    public required string Environment { get; init; }

    /// <summary>The solution stack (platform) name.</summary>
    public string SolutionStack { get; init; } = "64bit Amazon Linux 2023 v4.5.0 running Python 3.12";

    /// <summary>EC2 instance type of the environment (t3.medium, prod m7i.large).</summary>
    public required string InstanceType { get; init; }

    /// <summary>The directory zipped into the source bundle; it holds the <c>Procfile</c> (<c>web</c>).</summary>
    public string Source { get; init; } = "web";

    /// <summary>The path the load balancer's health check asks (<c>/health</c>).</summary>
    public string HealthPath { get; init; } = "/health";

    /// <summary>Environment variables of the web process (Ops adds the reserved OPS_* variables: docs/web.md).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>How long create waits for the environment to be Ready (30m).</summary>
    public int CreateTimeoutSeconds { get; init; } = 1800;

    /// <summary>How long deploy waits for Ready and Green (25m).</summary>
    public int DeployTimeoutSeconds { get; init; } = 1500;
}
