namespace Ops.LocalCloud.Iam;

/// <summary>
/// One condition test of a statement: an operator (<c>StringEquals</c>, <c>StringLike</c>, <c>ArnLike</c>, <c>Bool</c>,
/// <c>Null</c>, their negations and <c>…IfExists</c> forms), a context key and its values. The values are alternatives
/// (any one matches); a negated operator holds when none matches.
/// </summary>
public sealed record PolicyCondition(string Operator, string Key, IReadOnlyList<string> Values)
{
    /// <summary>The operators this evaluator knows (without <c>IfExists</c>); a policy naming another is refused when it is put.</summary>
    public static readonly IReadOnlySet<string> Operators = new HashSet<string>(StringComparer.Ordinal)
    {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Bool", "Null",
    };

    string BaseOperator => Operator.EndsWith("IfExists", StringComparison.Ordinal) ? Operator[..^"IfExists".Length] : Operator;

    bool Negated => BaseOperator.Contains("Not", StringComparison.Ordinal);

    /// <summary>Whether the request's context satisfies this test (keys compare without case, as AWS's do).</summary>
    public bool Holds(IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        var present = context.TryGetValue(Key, out var actual) && actual.Count > 0;
        if (BaseOperator == "Null")
            return Values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) == !present);
        if (!present) return Operator.EndsWith("IfExists", StringComparison.Ordinal) || Negated;
        var any = actual!.Any(a => Values.Any(v => Test(v, a)));
        return Negated ? !any : any;
    }

    bool Test(string expected, string actual) => BaseOperator switch
    {
        "StringEquals" or "StringNotEquals" or "ArnEquals" or "ArnNotEquals" => string.Equals(expected, actual, StringComparison.Ordinal),
        "StringEqualsIgnoreCase" or "StringNotEqualsIgnoreCase" => string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase),
        "StringLike" or "StringNotLike" => Wildcard.Matches(expected, actual),
        "ArnLike" or "ArnNotLike" => Wildcard.MatchesArn(expected, actual),
        "Bool" => string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
