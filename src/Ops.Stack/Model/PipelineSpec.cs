namespace Ops.Stack.Model;

/// <summary>What generate-pipelines makes for the stage (see docs/pipelines.md).</summary>
public sealed record PipelineSpec
{
    /// <summary>A workflow deploys the stage on every push to main (dev only by default).</summary>
    public bool DeployOnPush { get; init; }

    /// <summary>A workflow runs the drill on the stage on a schedule (dev only by default).</summary>
    public bool NightlyDrill { get; init; }

    /// <summary>When the drill runs: a five-field cron expression in UTC (<c>17 3 * * *</c>).</summary>
    public string DrillSchedule { get; init; } = "17 3 * * *";

    /// <summary>The GitHub repository (<c>owner/name</c>) whose workflows may deploy the stage: the deploy role trusts only its environment of this
    /// stage.</summary>
    public string? Repository { get; init; }
}
