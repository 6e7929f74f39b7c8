namespace Ops.LocalCloud.Iam;

/// <summary>One action on one resource, evaluated: the decision and the statements that decided it (the denies when denied, else the allows).</summary>
public sealed record Evaluation(string Action, string Resource, IamDecision Decision, IReadOnlyList<(SourcePolicy Policy, PolicyStatement Statement)> Matched)
{
    public bool IsAllowed => Decision == IamDecision.Allowed;

    /// <summary>The decision as SimulatePrincipalPolicy spells it.</summary>
    public string DecisionName => Decision switch
    {
        IamDecision.Allowed => "allowed",
        IamDecision.ExplicitDeny => "explicitDeny",
        _ => "implicitDeny",
    };

    /// <summary>Why a request was refused, as AWS words the end of its AccessDenied message.</summary>
    public string Reason => Decision == IamDecision.ExplicitDeny
        ? "with an explicit deny in an identity-based policy"
        : $"because no identity-based policy allows the {Action} action";
}
