namespace Ops.LocalCloud.Services.S3;

/// <summary>Orders keys as S3 lists them: by their UTF-8 bytes (code point order, which differs from UTF-16 ordinal above U+D7FF).</summary>
internal sealed class S3KeyComparer : IComparer<string>
{
    public static readonly S3KeyComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x == null) return -1;
        if (y == null) return 1;
        var a = x.EnumerateRunes();
        var b = y.EnumerateRunes();
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            if (!hasA || !hasB) return hasA.CompareTo(hasB);
            var c = a.Current.Value.CompareTo(b.Current.Value);
            if (c != 0) return c;
        }
    }
}
