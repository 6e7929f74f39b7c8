using System.Globalization;
using System.Text.RegularExpressions;
using Ops.Targets.Text;

namespace Ops.Targets.Parameters;

/// <summary>Turns textual parameter values into the member's type, with an actionable message when it cannot.</summary>
internal static partial class ValueConverter
{
    public static bool IsSupported(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsArray) return t.GetArrayRank() == 1 && t.GetElementType() is { } e && !e.IsArray && IsSupported(e);
        return t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(double)
               || t == typeof(TimeSpan) || t == typeof(Uri) || t.IsEnum;
    }

    public static bool IsFlag(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(bool);

    public static bool IsList(Type type) => type.IsArray;

    /// <summary>How the type is shown in help: <c>dev|stage|prod</c>, <c>int</c>, <c>duration</c>…</summary>
    public static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsArray) return Describe(t.GetElementType()!) + "…";
        if (t.IsEnum) return string.Join('|', Enum.GetNames(t).Select(Names.ToKebab));
        if (t == typeof(TimeSpan)) return "duration";
        if (t == typeof(bool)) return "bool";
        if (t == typeof(Uri)) return "url";
        return t.Name.ToLowerInvariant() switch { "int32" => "int", "int64" => "long", var n => n };
    }

    /// <summary>Converts <paramref name="values"/>; on failure returns false and a message that names the fix.</summary>
    public static bool TryConvert(Type type, IReadOnlyList<string> values, out object? result, out string? error)
    {
        result = null;
        error = null;
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsArray)
        {
            var element = t.GetElementType()!;
            var array = Array.CreateInstance(element, values.Count);
            for (var i = 0; i < values.Count; i++)
            {
                if (!TryConvertOne(element, values[i], out var item, out error)) return false;
                array.SetValue(item, i);
            }
            result = array;
            return true;
        }
        if (values.Count == 0)
        {
            if (t == typeof(bool)) { result = true; return true; }
            error = $"needs a value ({Describe(t)})";
            return false;
        }
        if (values.Count > 1)
        {
            error = $"takes one value, got {values.Count} ('{string.Join(' ', values)}'); name targets before the first --option or with --target";
            return false;
        }
        return TryConvertOne(t, values[0], out result, out error);
    }

    static bool TryConvertOne(Type t, string text, out object? result, out string? error)
    {
        result = null;
        error = null;
        var s = text.Trim();
        if (t == typeof(string)) { result = text; return true; }
        if (t == typeof(bool))
        {
            switch (s.ToLowerInvariant())
            {
                case "true" or "yes" or "on" or "1": result = true; return true;
                case "false" or "no" or "off" or "0": result = false; return true;
            }
            error = $"'{text}' is not a bool; use true or false";
            return false;
        }
        if (t == typeof(int))
        {
            if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) { result = i; return true; }
            error = $"'{text}' is not a whole number";
            return false;
        }
        if (t == typeof(long))
        {
            if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) { result = l; return true; }
            error = $"'{text}' is not a whole number";
            return false;
        }
        if (t == typeof(double))
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) { result = d; return true; }
            error = $"'{text}' is not a number";
            return false;
        }
        if (t == typeof(Uri))
        {
            if (Uri.TryCreate(s, UriKind.Absolute, out var u)) { result = u; return true; }
            error = $"'{text}' is not an absolute URL (like http://127.0.0.1:4566)";
            return false;
        }
        if (t == typeof(TimeSpan))
        {
            bool parsed;
            TimeSpan span;
            try
            {
                parsed = TryParseDuration(s, out span);
            }
            catch (OverflowException)
            {
                (parsed, span) = (true, TimeSpan.MaxValue);
            }
            if (parsed && span > MaxDuration)
            {
                error = $"'{text}' is longer than the longest duration a wait can take, {FormatDuration(MaxDuration)}; use a shorter one, like 30m or 2h";
                return false;
            }
            if (parsed) { result = span; return true; }
            error = $"'{text}' is not a duration; use a number with a unit, like 90s, 5m, 1h30m or 250ms";
            return false;
        }
        if (t.IsEnum)
        {
            var key = Names.Normalize(s);
            foreach (var name in Enum.GetNames(t))
                if (Names.Normalize(name) == key) { result = Enum.Parse(t, name); return true; }
            error = $"'{text}' is not one of {Describe(t).Replace("|", ", ")}";
            return false;
        }
        throw new NotSupportedException($"Parameter type {t} is not supported.");
    }

    /// <summary>The longest duration a parameter may give: .NET's timers and timeouts wait at most int.MaxValue milliseconds (about 24.8 days).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>Parses <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>, <c>2d</c>, or <c>hh:mm:ss</c>. A bare number is refused: its unit would be a
    /// guess.</summary>
    public static bool TryParseDuration(string s, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        if (s.Contains(':'))
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out span) && span >= TimeSpan.Zero;
        var matches = DurationPart().Matches(s.ToLowerInvariant());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != s.ToLowerInvariant()) return false;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            span += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }
        return true;
    }

    /// <summary>The inverse of <see cref="TryParseDuration"/>: <c>1h30m</c>, <c>90s</c>, <c>250ms</c>.</summary>
    public static string FormatDuration(TimeSpan span)
    {
        if (span == TimeSpan.Zero) return "0s";
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days}d");
        if (span.Hours > 0) parts.Add($"{span.Hours}h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes}m");
        if (span.Seconds > 0) parts.Add($"{span.Seconds}s");
        if (span.Milliseconds > 0) parts.Add($"{span.Milliseconds}ms");
        return string.Concat(parts);
    }

    public static string Format(object? value) => value switch
    {
        null => "(not set)",
        string s => s.Length == 0 ? "(empty)" : s,
        bool b => b ? "true" : "false",
        TimeSpan t => FormatDuration(t),
        Enum e => Names.ToKebab(e.ToString()),
        Array a => a.Length == 0 ? "(empty)" : string.Join(", ", a.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex DurationPart();
}
