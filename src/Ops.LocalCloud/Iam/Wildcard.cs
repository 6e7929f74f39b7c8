namespace Ops.LocalCloud.Iam;

/// <summary>
/// IAM's pattern matching: <c>*</c> matches any run of characters, <c>?</c> exactly one. Actions compare without case;
/// ARNs compare with case, segment by segment for the five colon-separated fields before the resource, so a wildcard
/// in the region never swallows the account.
/// </summary>
public static class Wildcard
{
    public static bool Matches(string pattern, string value, bool ignoreCase = false)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || string.Compare(pattern, p, value, v, 1, comparison) == 0) && pattern[p] != '*')
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>An action pattern (<c>sqs:Receive*</c>, <c>*</c>) against an action (<c>sqs:ReceiveMessage</c>), case-insensitively.</summary>
    public static bool MatchesAction(string pattern, string action) => Matches(pattern, action, ignoreCase: true);

    /// <summary>A resource pattern against an ARN: <c>*</c> matches everything; otherwise field by field, the resource part as one.</summary>
    public static bool MatchesArn(string pattern, string arn)
    {
        if (pattern == "*") return true;
        var p = pattern.Split(':', 6);
        var a = arn.Split(':', 6);
        if (p.Length != 6) return false; // not an ARN pattern: IAM refuses it when the policy is put
        if (a.Length != 6) return Matches(pattern, arn);
        for (var i = 0; i < 6; i++)
            if (!Matches(p[i], a[i])) return false;
        return true;
    }
}
