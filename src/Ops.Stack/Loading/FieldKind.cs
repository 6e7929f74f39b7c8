namespace Ops.Stack.Loading;

/// <summary>What a stack file field holds, which decides how its YAML node is read and how it is printed.</summary>
internal enum FieldKind
{
    /// <summary>A string; <c>{stage}</c> is expanded.</summary>
    Text,

    /// <summary>A string or null (<c>~</c>, <c>null</c> or nothing).</summary>
    OptionalText,

    /// <summary>A whole number.</summary>
    Count,

    /// <summary>Seconds, written <c>900</c>, <c>900s</c>, <c>15m</c>, <c>1h30m</c> or <c>4d</c>.</summary>
    Duration,

    /// <summary>A mapping of names to strings; a later section adds or replaces single entries.</summary>
    Map,

    /// <summary>A sequence of strings (an argv, a list of names); a later section replaces it whole.</summary>
    List,

    /// <summary>true or false.</summary>
    Flag,
}
