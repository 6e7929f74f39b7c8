namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>A Beanstalk environment: the version it runs and the timestamps its status follows from (see <see cref="BeanstalkLifecycle"/>).</summary>
internal sealed class BeanstalkEnvironment
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Application { get; set; } = "";
    public string? Version { get; set; }
    public string? SolutionStack { get; set; }
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset? UpdateStarted { get; set; }
    public DateTimeOffset? TerminateStarted { get; set; }
    public bool LastDeployFailed { get; set; }

    /// <summary>The last state transition whose events were logged (status and the change it ended).</summary>
    public string? Announced { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();

    /// <summary>The option settings given at create and update (environment variables, health check URL…).</summary>
    public List<BeanstalkOption> Options { get; set; } = [];

    /// <summary>The environment runs its version's web process for real (see <see cref="Web.WebProcesses"/>), not by the clock.</summary>
    public bool Real { get; set; }

    /// <summary>The loopback port the real web process listens on: the environment's CNAME.</summary>
    public int? Port { get; set; }
}
