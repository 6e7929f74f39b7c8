using Ops.Stack.Model;

namespace Ops.Stack.Loading;

/// <summary>One field of the stack file: its kebab-case path, kind, limits and naming rule, and how it reads and sets a <see cref="StageStack"/>.</summary>
internal sealed record StackField(string Path, FieldKind Kind, Func<StageStack, object?> Get, Func<StageStack, object?, StageStack> Set)
{
    /// <summary>Smallest allowed count or duration (seconds).</summary>
    public int Min { get; init; }

    /// <summary>Largest allowed count or duration (seconds).</summary>
    public int Max { get; init; } = int.MaxValue;

    /// <summary>The only values allowed, when the set is small (a choice, CloudWatch's retention days).</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>The rule a text value (or every map value) must pass.</summary>
    public NameRule? Rule { get; init; }

    /// <summary>The rule every map key must pass.</summary>
    public NameRule? KeyRule { get; init; }

    /// <summary>Map keys the stack file may not set, with why and what to do instead.</summary>
    public IReadOnlyDictionary<string, string> ReservedKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>The last segment of <see cref="Path"/>.</summary>
    public string Name => Path[(Path.LastIndexOf('.') + 1)..];

    /// <summary>The section holding it (queues.work), or "" at the top.</summary>
    public string Section => Path.Contains('.') ? Path[..Path.LastIndexOf('.')] : "";

    /// <summary>The allowed range in words (0–1000, 0s–12h).</summary>
    public string Range => Kind == FieldKind.Duration
        ? $"{Durations.Format(Min)}–{Durations.Format(Max)}"
        : $"{Min}–{Max}";
}
