using System.Text;

namespace Ops.Targets.Text;

/// <summary>Name conventions: PascalCase members shown as kebab-case, matched case- and dash-insensitively.</summary>
internal static class Names
{
    /// <summary><c>CreateRdsInstance</c> → <c>create-rds-instance</c>; <c>AWSProfile</c> → <c>aws-profile</c>.</summary>
    public static string ToKebab(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (c is '_' or '-') { if (sb.Length > 0 && sb[^1] != '-') sb.Append('-'); continue; }
            if (char.IsUpper(c) && i > 0 && sb.Length > 0 && sb[^1] != '-')
            {
                var prevLower = char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]);
                var nextLower = i + 1 < pascal.Length && char.IsLower(pascal[i + 1]);
                if (prevLower || (char.IsUpper(pascal[i - 1]) && nextLower)) sb.Append('-');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The key two spellings must share to name the same thing: lower case, no '-' or '_'.</summary>
    public static string Normalize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
            if (c is not ('-' or '_')) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }

    /// <summary>The candidates closest to <paramref name="input"/>, best first, within a small edit distance.</summary>
    public static IReadOnlyList<string> Suggest(string input, IEnumerable<string> candidates)
    {
        var key = Normalize(input);
        return candidates
            .Select(c => (Name: c, Distance: Distance(key, Normalize(c)), Prefix: Normalize(c).StartsWith(key, StringComparison.Ordinal) && key.Length >= 3))
            .Where(x => x.Prefix || x.Distance <= Math.Max(2, key.Length / 3))
            .OrderBy(x => x.Prefix ? 0 : 1).ThenBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name)
            .Take(3)
            .ToList();
    }

    /// <summary>Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
