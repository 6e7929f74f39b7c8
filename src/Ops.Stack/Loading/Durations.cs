using System.Globalization;
using System.Text.RegularExpressions;

namespace Ops.Stack.Loading;

/// <summary>Reads and writes the stack file's durations: bare seconds (<c>900</c>) or units d/h/m/s (<c>15m</c>, <c>1h30m</c>).</summary>
internal static partial class Durations
{
    /// <summary>Seconds, or null when <paramref name="text"/> is not a duration.</summary>
    public static int? Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s.Length == 0) return null;
        if (s.All(char.IsAsciiDigit)) return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var plain) ? plain : null;
        var parts = Part().Matches(s);
        if (parts.Count == 0 || string.Concat(parts.Select(m => m.Value)) != s) return null;
        long total = 0;
        foreach (Match m in parts)
        {
            if (!long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
            total += n * m.Groups[2].Value switch { "d" => 86400, "h" => 3600, "m" => 60, _ => 1 };
            if (total > int.MaxValue) return null;
        }
        return (int)total;
    }

    /// <summary>The shortest exact spelling: 900 → 15m, 5400 → 1h30m, 345600 → 4d, 0 → 0s.</summary>
    public static string Format(int seconds)
    {
        if (seconds == 0) return "0s";
        var text = "";
        foreach (var (unit, size) in new[] { ("d", 86400), ("h", 3600), ("m", 60), ("s", 1) })
        {
            if (seconds < size) continue;
            text += $"{seconds / size}{unit}";
            seconds %= size;
        }
        return text;
    }

    [GeneratedRegex(@"(\d+)([dhms])")]
    private static partial Regex Part();
}
