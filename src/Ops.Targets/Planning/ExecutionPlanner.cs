using Ops.Targets.Text;

namespace Ops.Targets.Planning;

/// <summary>Given the invoked target names, creates an execution plan: dependencies and triggered targets added, static conditions and skips applied,
/// ordered.</summary>
internal static class ExecutionPlanner
{
    public static ExecutionPlan Plan(
        TargetGraph graph,
        IReadOnlyList<string> invokedNames,
        IReadOnlyList<string>? skip,
        IReadOnlySet<string> succeededBefore)
    {
        var invoked = invokedNames.Select(n => Find(graph, n)).Distinct().ToList();
        var why = new Dictionary<TargetNode, string>();
        var skipReason = new Dictionary<TargetNode, string>();
        var required = new HashSet<TargetNode>(); // reached by invocation or a dependency edge, not only by a trigger

        var queue = new Queue<(TargetNode Node, string Why, bool Required)>(invoked.Select(n => (n, "invoked", true)));
        while (queue.Count > 0)
        {
            var (node, reason, isRequired) = queue.Dequeue();
            if (isRequired) required.Add(node);
            if (!why.TryAdd(node, reason)) continue;
            var failed = node.Definition.StaticConditions.FirstOrDefault(c => !Evaluate(node, c));
            if (failed != null)
            {
                skipReason[node] = $"condition false: {failed.Text}";
                continue;
            }
            foreach (var d in node.Dependencies) queue.Enqueue((d, $"dependency of {node.Name}", true));
            foreach (var t in node.Triggers) queue.Enqueue((t, $"triggered by {node.Name}", false));
        }

        // Dependencies that only a statically skipped target needed are skipped with it.
        foreach (var skipped in skipReason.Keys.ToList())
            SkipExclusiveDependencies(skipped, why, skipReason);

        if (skip != null)
        {
            var named = skip.Select(n => Find(graph, n)).ToHashSet();
            foreach (var node in why.Keys)
                if ((skip.Count == 0 && !invoked.Contains(node)) || named.Contains(node))
                    skipReason.TryAdd(node, "--skip");
        }

        foreach (var node in why.Keys)
            if (succeededBefore.Contains(node.Name))
                skipReason.TryAdd(node, "succeeded in the previous run (--continue)");

        return new ExecutionPlan(invoked, Order(why, skipReason, required));
    }

    static void SkipExclusiveDependencies(TargetNode skipped, Dictionary<TargetNode, string> why, Dictionary<TargetNode, string> skipReason)
    {
        foreach (var d in skipped.Dependencies)
        {
            if (!why.TryAdd(d, $"dependency of {skipped.Name}")) continue;
            skipReason[d] = $"needed only by skipped {skipped.Name}";
            SkipExclusiveDependencies(d, why, skipReason);
        }
    }

    static List<PlanEntry> Order(Dictionary<TargetNode, string> why, Dictionary<TargetNode, string> skipReason, HashSet<TargetNode> required)
    {
        // Kahn's algorithm; ties broken by declaration order so plans are stable and read top-down.
        var inPlan = why.Keys.ToHashSet();
        var remaining = inPlan.ToDictionary(n => n, n => TargetGraph.Predecessors(n).Count(inPlan.Contains));
        var wave = new Dictionary<TargetNode, int>();
        var ready = new PriorityQueue<TargetNode, int>();
        foreach (var (n, count) in remaining)
            if (count == 0) ready.Enqueue(n, n.Definition.Order);

        var result = new List<PlanEntry>();
        while (ready.TryDequeue(out var node, out _))
        {
            var w = TargetGraph.Predecessors(node).Where(inPlan.Contains).Select(p => wave[p] + 1).DefaultIfEmpty(1).Max();
            wave[node] = w;
            result.Add(new PlanEntry(node, why[node], skipReason.GetValueOrDefault(node), w, !required.Contains(node)));
            foreach (var successor in inPlan.Where(s => TargetGraph.Predecessors(s).Contains(node)))
                if (--remaining[successor] == 0) ready.Enqueue(successor, successor.Definition.Order);
        }
        if (result.Count != inPlan.Count)
            throw new BuildDefinitionException("The plan has a cycle the graph check missed."); // unreachable: TargetGraph rejects cycles
        return result;
    }

    static bool Evaluate(TargetNode node, Condition condition)
    {
        try
        {
            return condition.Evaluate();
        }
        catch (Exception e)
        {
            throw new BuildDefinitionException($"The condition '{condition.Text}' of target '{node.Name}' threw: {e.Message}", e);
        }
    }

    static TargetNode Find(TargetGraph graph, string name)
    {
        if (graph.Find(name) is { } node) return node;
        var listed = graph.Nodes.Where(n => !n.Definition.IsUnlisted).Select(n => n.Name).ToList();
        var suggestions = Names.Suggest(name, graph.Nodes.Select(n => n.Name));
        var hint = suggestions.Count > 0 ? $" Did you mean '{suggestions[0]}'?" : "";
        throw new UsageException($"Target '{name}' does not exist.{hint} Available targets: {string.Join(", ", listed)}.");
    }
}
