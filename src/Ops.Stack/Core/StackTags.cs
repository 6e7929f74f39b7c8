using Ops.Stack.Model;

namespace Ops.Stack.Core;

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

    /// <summary>
    /// Adds the stack's tags that <paramref name="existing"/> lacks or has with another value through <paramref name="add"/>
    /// (not on a dry run); returns one change per tag, none when every tag is there.
    /// </summary>
    public static async Task<List<Change>> EnsureAsync(
        StageContext context, string resource, IReadOnlyDictionary<string, string>? existing, Func<IReadOnlyDictionary<string, string>, Task> add)
    {
        var missing = Missing(context.Stack, existing);
        if (missing.Count == 0) return [];
        var changes = Changes(resource, missing, existing);
        await Mutation.ApplyAsync(context, changes, () => add(missing));
        return changes;
    }
}
