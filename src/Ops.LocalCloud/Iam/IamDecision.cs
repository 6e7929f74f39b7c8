namespace Ops.LocalCloud.Iam;

/// <summary>The outcome of evaluating a request, in AWS's order: an explicit deny wins, then an allow; no statement at all is an implicit deny.</summary>
public enum IamDecision
{
    ImplicitDeny,
    Allowed,
    ExplicitDeny,
}
