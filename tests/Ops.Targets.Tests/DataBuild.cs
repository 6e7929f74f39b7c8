namespace Ops.Targets.Tests;

/// <summary>A build whose result target writes data, and whose <c>--json</c> keeps standard output for that data alone.</summary>
public sealed class DataBuild : BuildBase
{
    [Parameter("Standard output for data only.")]
    public bool Json;

    [Parameter("Make the result target fail after its data.")]
    public bool Fail;

    protected override bool StandardOutputIsData => Json;

    public Target Prepare => _ => _.Executes(() => Log.Info("preparing"));

    public Target Result => _ => _.DependsOn(Prepare).Executes(() =>
    {
        Log.Warning("a warning");
        Log.Data("{\"ok\":true}");
        if (Fail) throw new BuildFailedException("the result failed");
    });
}
