using System.Collections.Concurrent;

namespace Ops.Targets.Tests;

/// <summary>A build that records which targets ran, in order.</summary>
public abstract class RecordingBuild : BuildBase
{
    readonly ConcurrentQueue<string> _ran = new();
    public IReadOnlyList<string> Ran => _ran.ToList();
    protected Action Record(string name) => () => _ran.Enqueue(name);
}

/// <summary>A small graph with every kind of edge.</summary>
public sealed class GraphBuild : RecordingBuild
{
    public Target Clean => _ => _.Description("Delete outputs").Before(Restore).Executes(Record("clean"));
    public Target Restore => _ => _.Executes(Record("restore"));
    public Target Compile => _ => _.Description("Compile it").DependsOn(Restore).Executes(Record("compile"));
    public Target Test => _ => _.DependsOn(Compile).Executes(Record("test"));
    public Target Pack => _ => _.DependsOn(Compile).After(Test).Executes(Record("pack"));
    public Target Publish => _ => _.DependsOn(Pack).Triggers(Notify).Executes(Record("publish"));
    public Target Notify => _ => _.Executes(Record("notify"));
    public Target Audit => _ => _.TriggeredBy(Compile).Executes(Record("audit"));
    public Target Docs => _ => _.DependentFor(Pack).Executes(Record("docs"));
    public Target CreateRdsInstance => _ => _.Description("Create the database").Executes(Record("create-rds-instance"));
    public Target Secretive => _ => _.Unlisted().Description("Hidden one").Executes(Record("secretive"));
}

public sealed class CycleBuild : BuildBase
{
    public Target A => _ => _.DependsOn(B);
    public Target B => _ => _.After(C);
    public Target C => _ => _.DependsOn(A);
}
