namespace Ops.Stack.Loading;

/// <summary>Finds the known name a misspelt one most likely meant (edit distance, ignoring case, '-' and '_').</summary>
internal static class ClosestName
{
    public static string? Find(string name, IEnumerable<string> known)
    {
        var key = Squash(name);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var d = Distance(key, Squash(candidate));
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    static string Squash(string s) => new(s.Where(c => c is not ('-' or '_')).Select(char.ToLowerInvariant).ToArray());

    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
