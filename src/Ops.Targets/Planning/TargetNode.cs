namespace Ops.Targets.Planning;

/// <summary>A target with its references resolved to other nodes' names (both directions of each relation merged).</summary>
internal sealed class TargetNode(TargetDefinition definition, string displayName)
{
    public TargetDefinition Definition { get; } = definition;

    /// <summary>kebab-case, as shown to users.</summary>
    public string Name { get; } = displayName;

    public string Key => Text.Names.Normalize(Name);
    public List<TargetNode> Dependencies { get; } = [];
    public List<TargetNode> RunsAfter { get; } = [];
    public List<TargetNode> Triggers { get; } = [];
    public List<TargetNode> TriggeredBy { get; } = [];

    public override string ToString() => Name;
}
