using System.Reflection;
using Ops.Targets.Text;

namespace Ops.Targets.Planning;

/// <summary>All targets a build declares, with dependency, ordering and trigger edges, checked for cycles.</summary>
internal sealed class TargetGraph
{
    public IReadOnlyList<TargetNode> Nodes { get; }
    readonly Dictionary<string, TargetNode> _byKey;

    TargetGraph(List<TargetNode> nodes)
    {
        Nodes = nodes;
        _byKey = nodes.ToDictionary(n => n.Key);
    }

    public TargetNode? Find(string name) => _byKey.GetValueOrDefault(Names.Normalize(name));

    /// <summary>Reads every <see cref="Target"/> property of <paramref name="build"/> and resolves references between them.</summary>
    public static TargetGraph FromBuild(object build)
    {
        var properties = TargetProperties(build.GetType());
        var byMethod = new Dictionary<MethodInfo, TargetNode>();
        var nodes = new List<TargetNode>();
        var declarations = new List<(TargetNode Node, Target Delegate)>();
        foreach (var property in properties)
        {
            var target = (Target?)property.GetValue(build)
                ?? throw new BuildDefinitionException($"Target property '{property.Name}' returned null.");
            var node = new TargetNode(new TargetDefinition(property.Name, nodes.Count), Names.ToKebab(property.Name));
            if (!byMethod.TryAdd(target.Method, node))
                throw new BuildDefinitionException(
                    $"Targets '{byMethod[target.Method].Name}' and '{node.Name}' are the same delegate; declare each with its own lambda.");
            nodes.Add(node);
            declarations.Add((node, target));
        }

        foreach (var (node, target) in declarations) target(node.Definition);

        TargetNode Resolve(TargetNode from, Target reference) =>
            byMethod.GetValueOrDefault(reference.Method)
            ?? throw new BuildDefinitionException(
                $"Target '{from.Name}' refers to a target that is not a Target property of {build.GetType().Name}.");

        foreach (var node in nodes)
        {
            var d = node.Definition;
            foreach (var t in d.DependsOnTargets) AddOnce(node.Dependencies, Resolve(node, t));
            foreach (var t in d.DependentForTargets) AddOnce(Resolve(node, t).Dependencies, node);
            foreach (var t in d.AfterTargets) AddOnce(node.RunsAfter, Resolve(node, t));
            foreach (var t in d.BeforeTargets) AddOnce(Resolve(node, t).RunsAfter, node);
            foreach (var t in d.TriggersTargets) Link(node, Resolve(node, t));
            foreach (var t in d.TriggeredByTargets) Link(Resolve(node, t), node);
        }

        var graph = new TargetGraph(nodes);
        graph.ThrowOnCycle();
        return graph;

        static void Link(TargetNode trigger, TargetNode triggered)
        {
            AddOnce(trigger.Triggers, triggered);
            AddOnce(triggered.TriggeredBy, trigger);
        }
    }

    /// <summary>Everything that must finish before <paramref name="node"/> may start, if it is in the plan.</summary>
    public static IEnumerable<TargetNode> Predecessors(TargetNode node) =>
        node.Dependencies.Concat(node.RunsAfter).Concat(node.TriggeredBy).Distinct();

    void ThrowOnCycle()
    {
        var state = new Dictionary<TargetNode, int>(); // 1 = on stack, 2 = done
        var stack = new List<TargetNode>();
        foreach (var node in Nodes) Visit(node);

        void Visit(TargetNode node)
        {
            if (state.TryGetValue(node, out var s))
            {
                if (s == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(node)).Append(node).Select(n => n.Name);
                    throw new BuildDefinitionException($"Circular dependency between targets: {string.Join(" -> ", cycle)}.");
                }
                return;
            }
            state[node] = 1;
            stack.Add(node);
            foreach (var p in Predecessors(node)) Visit(p);
            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
        }
    }

    static IEnumerable<PropertyInfo> TargetProperties(Type type)
    {
        var seen = new HashSet<string>();
        var result = new List<PropertyInfo>();
        // Base classes first so declaration order reads top-down, overrides resolved by name.
        var chain = new List<Type>();
        for (var t = type; t != null && t != typeof(object); t = t.BaseType) chain.Insert(0, t);
        foreach (var t in chain)
            foreach (var p in t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                         .OrderBy(p => p.MetadataToken))
                if (p.PropertyType == typeof(Target) && p.GetMethod != null && seen.Add(p.Name))
                    result.Add(p);
        return result;
    }

    static void AddOnce(List<TargetNode> list, TargetNode node)
    {
        if (!list.Contains(node)) list.Add(node);
    }
}
