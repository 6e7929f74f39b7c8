namespace Ops.Targets.Planning;

/// <summary>The targets a run will visit, in a valid order, each with why it is there and whether it is skipped up front.</summary>
internal sealed class ExecutionPlan(IReadOnlyList<TargetNode> invoked, IReadOnlyList<PlanEntry> entries)
{
    public IReadOnlyList<TargetNode> Invoked { get; } = invoked;
    public IReadOnlyList<PlanEntry> Entries { get; } = entries;

    public bool Contains(TargetNode node) => Entries.Any(e => e.Node == node);

    /// <summary>Predecessors that are in this plan: the targets that must finish before <paramref name="node"/> starts.</summary>
    public IEnumerable<TargetNode> PredecessorsInPlan(TargetNode node) =>
        TargetGraph.Predecessors(node).Where(Contains);
}

/// <summary>
/// A target in the plan. <see cref="SkipReason"/> is set when it is skipped before the run starts;
/// <see cref="OnlyTriggered"/> when nothing but a trigger brought it in, so it runs only if a trigger fires.
/// </summary>
internal sealed record PlanEntry(TargetNode Node, string Why, string? SkipReason, int Wave, bool OnlyTriggered);
