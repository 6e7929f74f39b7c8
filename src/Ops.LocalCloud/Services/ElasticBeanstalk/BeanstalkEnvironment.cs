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
}
