using System.Text;

namespace Ops.LocalCloud.Services.S3;

/// <summary>
/// One page of a bucket listing: objects under a prefix after a position, keys sharing a delimiter-ended group rolled up into
/// one common prefix. The position is the last key or common prefix of the previous page, so paging never repeats a prefix.
/// </summary>
internal static class S3Listing
{
    public sealed record Page(IReadOnlyList<S3ObjectHeader> Contents, IReadOnlyList<string> CommonPrefixes, bool IsTruncated, string? Last);

    public static Page List(IEnumerable<S3ObjectHeader> objects, string prefix, string delimiter, string? after, int maxKeys)
    {
        var contents = new List<S3ObjectHeader>();
        var prefixes = new List<string>();
        string? last = null;
        var truncated = false;
        // A position that is itself a common prefix (the last entry of a page) skips everything rolled up into it.
        var skipGroup = after != null && Group(after, prefix, delimiter) == after ? after : null;
        foreach (var o in objects.OrderBy(o => o.Key, S3KeyComparer.Instance))
        {
            if (!o.Key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (after != null && S3KeyComparer.Instance.Compare(o.Key, after) <= 0) continue;
            if (skipGroup != null && o.Key.StartsWith(skipGroup, StringComparison.Ordinal)) continue;
            var group = Group(o.Key, prefix, delimiter);
            if (group != null && group == last) continue;
            if (contents.Count + prefixes.Count >= maxKeys)
            {
                truncated = maxKeys > 0;
                break;
            }
            if (group != null) prefixes.Add(group);
            else contents.Add(o);
            last = group ?? o.Key;
        }
        return new Page(contents, prefixes, truncated, last);
    }

    /// <summary>The common prefix a key rolls up into (prefix + up to the first delimiter after it), or null.</summary>
    static string? Group(string key, string prefix, string delimiter)
    {
        if (delimiter.Length == 0 || !key.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + delimiter.Length)];
    }

    /// <summary>An opaque continuation token for a position.</summary>
    public static string Token(string position) => "1" + Convert.ToBase64String(Encoding.UTF8.GetBytes(position));

    /// <summary>The position a continuation token stands for, or InvalidArgument.</summary>
    public static string Position(string token)
    {
        try
        {
            if (token.StartsWith('1')) return Encoding.UTF8.GetString(Convert.FromBase64String(token[1..]));
        }
        catch (FormatException)
        {
        }
        throw new AwsError("InvalidArgument", $"The continuation token provided is incorrect: '{token}'.", 400);
    }
}
