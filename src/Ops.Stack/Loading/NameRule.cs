using System.Text.RegularExpressions;

namespace Ops.Stack.Loading;

/// <summary>A naming rule AWS (or Ops) enforces on a value: the pattern, the rule in words, and an example that passes.</summary>
internal sealed record NameRule(Regex Pattern, string What, string Rule, string Example)
{
    /// <summary>Null when <paramref name="value"/> passes, else "problem — fix".</summary>
    public string? Check(string value) =>
        Pattern.IsMatch(value) ? null : $"'{value}' is not a valid {What} ({Rule}) — {Fix}, like {Example}";

    /// <summary>What to do about a bad value (a name is renamed; a statement is rewritten).</summary>
    public string Fix { get; init; } = "rename it";

    public static NameRule Of(string pattern, string what, string rule, string example) =>
        new(new Regex(pattern, RegexOptions.CultureInvariant), what, rule, example);
}
