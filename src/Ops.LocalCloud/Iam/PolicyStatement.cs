namespace Ops.LocalCloud.Iam;

/// <summary>
/// One statement of a policy: its effect, the actions it names (or, with <c>NotAction</c>, every action but those), the
/// resources (or <c>NotResource</c>) for an identity policy, the principals for a trust policy, and its conditions.
/// </summary>
public sealed record PolicyStatement
{
    public string? Sid { get; init; }
    public required bool Allow { get; init; }
    public IReadOnlyList<string> Actions { get; init; } = [];
    public bool NotAction { get; init; }
    public IReadOnlyList<string> Resources { get; init; } = [];
    public bool NotResource { get; init; }

    /// <summary>Trust policies: principal type (<c>Service</c>, <c>AWS</c>, <c>Federated</c>, or <c>*</c>) → the values it admits.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Principals { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<PolicyCondition> Conditions { get; init; } = [];

    /// <summary>Where the statement sits in its document (0-based index), for what SimulatePrincipalPolicy reports as matched.</summary>
    public int Index { get; init; }

    public bool CoversAction(string action) => NotAction
        ? !Actions.Any(a => Wildcard.MatchesAction(a, action))
        : Actions.Any(a => Wildcard.MatchesAction(a, action));

    public bool CoversResource(string resource) => NotResource
        ? !Resources.Any(r => Wildcard.MatchesArn(r, resource))
        : Resources.Any(r => Wildcard.MatchesArn(r, resource));

    /// <summary>Whether the statement names this principal: a type and value (<c>Service</c>, <c>ecs-tasks.amazonaws.com</c>), or <c>*</c>.</summary>
    public bool CoversPrincipal(string type, string value) =>
        Principals.TryGetValue("*", out _)
        || (Principals.TryGetValue(type, out var values) && values.Any(v => v == "*" || v == value || (type == "AWS" && IsAccountRoot(v, value))));

    /// <summary>The conditions all hold (each is an AND; values inside one are alternatives).</summary>
    public bool ConditionsHold(IReadOnlyDictionary<string, IReadOnlyList<string>> context) => Conditions.All(c => c.Holds(context));

    /// <summary><c>arn:aws:iam::ACCOUNT:root</c> (or a bare account id) admits every principal of that account.</summary>
    static bool IsAccountRoot(string admitted, string principal)
    {
        var account = admitted.StartsWith("arn:", StringComparison.Ordinal) && admitted.EndsWith(":root", StringComparison.Ordinal)
            ? admitted.Split(':')[4]
            : admitted.All(char.IsAsciiDigit) ? admitted : null;
        return account != null && principal.Split(':') is { Length: >= 5 } parts && parts[4] == account;
    }
}
