using System.Globalization;
using Ops.Stack.Loading;
using Ops.Stack.Model;

namespace Ops.Stack.Output;

/// <summary>A resolved stage for people: one group per section, keys aligned, durations with units.</summary>
public static class StackText
{
    /// <summary>The lines to print, headed by the stage and where its stack came from (<paramref name="source"/>; null: built-in).</summary>
    public static IReadOnlyList<string> Lines(StageStack stack, string? source)
    {
        var width = StackSchema.Fields.Max(f => f.Name.Length) + 4;
        var lines = new List<string>
        {
            $"{"stage".PadRight(width)}{stack.Stage}",
            $"{"stack".PadRight(width)}{source ?? "built-in (no ops.stack.yml)"}",
        };
        string? section = null;
        foreach (var field in StackSchema.Fields)
        {
            if (field.Section != section)
            {
                section = field.Section;
                if (section.Length > 0)
                {
                    lines.Add("");
                    lines.Add(section);
                }
            }
            var indent = section.Length > 0 ? "  " : "";
            lines.Add($"{indent}{field.Name.PadRight(width - indent.Length)}{Show(field, field.Get(stack))}");
        }
        return lines;
    }

    static string Show(StackField field, object? value) => value switch
    {
        null => "(none)",
        int n when field.Kind == FieldKind.Duration => Durations.Format(n),
        int n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        IReadOnlyDictionary<string, string> { Count: 0 } => "(none)",
        IReadOnlyDictionary<string, string> map => string.Join("  ", map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")),
        IReadOnlyList<string> { Count: 0 } => "(none)",
        IReadOnlyList<string> list => string.Join(' ', list.Select(a => a.Any(char.IsWhiteSpace) || a.Length == 0 ? $"'{a}'" : a)),
        _ => value.ToString() ?? "",
    };
}
