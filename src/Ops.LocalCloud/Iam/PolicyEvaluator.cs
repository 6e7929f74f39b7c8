namespace Ops.LocalCloud.Iam;

/// <summary>
/// IAM's identity-policy logic for one principal: every statement of every policy is considered; a matching Deny is an
/// explicit deny whatever else matches; otherwise a matching Allow allows; otherwise the request is implicitly denied.
/// A statement matches when its action, resource and every condition do. The same code answers SimulatePrincipalPolicy
/// and enforces requests, so what the simulation says is what happens.
/// </summary>
public static class PolicyEvaluator
{
    public static Evaluation Evaluate(IReadOnlyList<SourcePolicy> policies, string action, string resource,
        IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        var allows = new List<(SourcePolicy, PolicyStatement)>();
        var denies = new List<(SourcePolicy, PolicyStatement)>();
        foreach (var policy in policies)
            foreach (var statement in policy.Document.Statements)
            {
                if (!statement.CoversAction(action) || !statement.CoversResource(resource) || !statement.ConditionsHold(context)) continue;
                (statement.Allow ? allows : denies).Add((policy, statement));
            }
        if (denies.Count > 0) return new Evaluation(action, resource, IamDecision.ExplicitDeny, denies);
        return allows.Count > 0 ? new Evaluation(action, resource, IamDecision.Allowed, allows)
            : new Evaluation(action, resource, IamDecision.ImplicitDeny, []);
    }

    /// <summary>
    /// Whether a role's trust policy lets this principal (<c>Service</c> <c>ecs-tasks.amazonaws.com</c>, <c>AWS</c> an ARN,
    /// <c>Federated</c> a provider ARN) take the role with <paramref name="action"/> (<c>sts:AssumeRole</c>, <c>sts:AssumeRoleWithWebIdentity</c>).
    /// </summary>
    public static bool Trusts(PolicyDocument trust, string action, string principalType, string principal,
        IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        var matching = trust.Statements.Where(s => s.CoversAction(action) && s.CoversPrincipal(principalType, principal) && s.ConditionsHold(context)).ToList();
        return matching.Any(s => s.Allow) && !matching.Any(s => !s.Allow);
    }
}
