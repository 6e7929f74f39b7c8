using System.Globalization;
using System.Text.RegularExpressions;
using Ops.Stack.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ops.Stack.Loading;

/// <summary>
/// Applies one section of a stack file (<c>defaults:</c> or a stage) onto a <see cref="StageStack"/>: checks each key
/// and type, expands <c>{stage}</c>, and remembers where every value came from.
/// </summary>
internal sealed partial class StackBinder(string file, string stage, Dictionary<string, Origin> origins)
{
    /// <summary>Keys a stage section may hold besides the stack's fields.</summary>
    public static readonly IReadOnlyList<string> StageKeys = ["like"];

    public StageStack Apply(StageStack stack, YamlMappingNode section, string sectionPath, bool isStage) =>
        ApplySection(stack, section, sectionPath, "", isStage);

    StageStack ApplySection(StageStack stack, YamlMappingNode node, string origin, string prefix, bool isStage)
    {
        foreach (var (keyNode, value) in node.Children)
        {
            var key = StackFile.KeyOf(file, keyNode, origin);
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            var at = new Origin(file, keyNode.Start, $"{origin}.{path}");
            if (isStage && prefix.Length == 0 && StageKeys.Contains(key)) continue;
            if (StackSchema.Find(path) is { } field)
            {
                stack = Bind(stack, field, value, at);
            }
            else if (StackSchema.IsSection(path))
            {
                if (value is YamlMappingNode map) stack = ApplySection(stack, map, origin, path, isStage);
                else if (!StackFile.IsNull(value)) throw at.Error($"expected a section (key: value lines), got {StackFile.Describe(value)} — indent its fields under {key}:");
            }
            else
            {
                var known = StackSchema.NamesUnder(prefix).Concat(isStage && prefix.Length == 0 ? StageKeys : []).ToList();
                throw at.Error(ClosestName.Find(key, known) is { } near
                    ? $"unknown field — did you mean {near}?"
                    : $"unknown field — use one of {string.Join(", ", known)}");
            }
        }
        return stack;
    }

    StageStack Bind(StageStack stack, StackField field, YamlNode value, Origin at)
    {
        origins[field.Path] = at;
        return field.Kind switch
        {
            FieldKind.Text => field.Set(stack, Expand(RequiredScalar(value, at, "a string, like " + (field.Rule?.Example ?? field.Choices?[0])), at)),
            FieldKind.OptionalText => field.Set(stack, StackFile.IsNull(value) ? null : Expand(RequiredScalar(value, at, "a string or null"), at)),
            FieldKind.Count => field.Set(stack, ReadCount(value, at)),
            FieldKind.Duration => field.Set(stack, ReadDuration(value, at)),
            FieldKind.Map => field.Set(stack, ReadMap((IReadOnlyDictionary<string, string>)field.Get(stack)!, field, value, at)),
            FieldKind.List => field.Set(stack, ReadList(value, at, field.Path)),
            FieldKind.Flag => field.Set(stack, ReadFlag(value, at)),
            _ => throw new InvalidOperationException($"Unknown field kind {field.Kind}."),
        };
    }

    static string RequiredScalar(YamlNode value, Origin at, string expected)
    {
        if (value is not YamlScalarNode scalar) throw at.Error($"expected {expected}, got {StackFile.Describe(value)} — write a single value");
        if (StackFile.IsNull(scalar)) throw at.Error($"has no value — write {expected}");
        return scalar.Value!;
    }

    static int ReadCount(YamlNode value, Origin at)
    {
        var text = RequiredScalar(value, at, "a whole number");
        if (value is YamlScalarNode { Style: not ScalarStyle.Plain }
            || !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw at.Error($"expected a whole number, got {StackFile.Describe(value)} — write it without quotes, like 6");
        return n;
    }

    static bool ReadFlag(YamlNode value, Origin at)
    {
        var text = RequiredScalar(value, at, "true or false");
        return value is YamlScalarNode { Style: ScalarStyle.Plain } && text is "true" or "false"
            ? text == "true"
            : throw at.Error($"expected true or false, got {StackFile.Describe(value)} — write true or false without quotes");
    }

    static int ReadDuration(YamlNode value, Origin at)
    {
        var text = RequiredScalar(value, at, "a duration");
        return Durations.Parse(text) ?? throw at.Error($"'{text}' is not a duration — write seconds (900) or with units d, h, m, s (15m, 1h30m, 4d)");
    }

    Dictionary<string, string> ReadMap(IReadOnlyDictionary<string, string> current, StackField field, YamlNode value, Origin at)
    {
        var merged = new Dictionary<string, string>(current);
        if (StackFile.IsNull(value)) return merged;
        if (value is not YamlMappingNode map) throw at.Error($"expected a mapping of names to values, got {StackFile.Describe(value)} — write NAME: value lines under {field.Name}:");
        foreach (var (keyNode, entry) in map.Children)
        {
            var key = StackFile.KeyOf(file, keyNode, at.Path);
            var entryAt = at.WithPath($"{at.Path}.{key}") with { Mark = keyNode.Start };
            origins[$"{field.Path}.{key}"] = entryAt;
            if (entry is not YamlScalarNode scalar) throw entryAt.Error($"expected a string, got {StackFile.Describe(entry)} — quote it, like {key}: \"value\"");
            merged[key] = StackFile.IsNull(scalar) ? "" : Expand(scalar.Value!, entryAt);
        }
        return merged;
    }

    /// <summary>A list of strings; each item's position is kept (<c>path[i]</c>) so a bad item is reported where it is.</summary>
    string[] ReadList(YamlNode value, Origin at, string path)
    {
        if (StackFile.IsNull(value)) return [];
        if (value is not YamlSequenceNode list) throw at.Error($"expected a list of arguments, got {StackFile.Describe(value)} — write it like [dotnet, publish] (an empty list [] for none)");
        return list.Children.Select((item, i) =>
        {
            var itemAt = at with { Mark = item.Start };
            origins[$"{path}[{i}]"] = itemAt;
            if (item is not YamlScalarNode scalar || StackFile.IsNull(scalar) || scalar.Value!.Length == 0)
                throw itemAt.Error($"expected a non-empty string in the list, got {StackFile.Describe(item)} — write each argument as text");
            return Expand(scalar.Value, itemAt);
        }).ToArray();
    }

    /// <summary>Replaces {stage}; any other {…} is a mistake worth stopping for.</summary>
    string Expand(string text, Origin at) => Placeholder().Replace(text, m => m.Groups[1].Value == "stage"
        ? stage
        : throw at.Error($"unknown placeholder {m.Value} — only {{stage}} is expanded"));

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();
}
