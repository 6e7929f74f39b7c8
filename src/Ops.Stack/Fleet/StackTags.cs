using Ops.Stack.Model;

namespace Ops.Stack.Fleet;

/// <summary>The stack's tags compared with a resource's: the ones missing or different.</summary>
internal static class StackTags
{
    /// <summary>Tags of <paramref name="stack"/> that <paramref name="existing"/> lacks or has with another value.</summary>
    public static IReadOnlyDictionary<string, string> Missing(StageStack stack, IReadOnlyDictionary<string, string>? existing) =>
        stack.Tags.Where(t => existing == null || !existing.TryGetValue(t.Key, out var v) || v != t.Value).ToDictionary(t => t.Key, t => t.Value);

    /// <summary>One change per missing or different tag: tag Key old → new.</summary>
    public static List<Change> Changes(string resource, IReadOnlyDictionary<string, string> missing, IReadOnlyDictionary<string, string>? existing) =>
        missing.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new Change(resource, $"tag {t.Key}", existing != null && existing.TryGetValue(t.Key, out var v) ? v : "(none)", t.Value)).ToList();
}
