namespace Ops.LocalCloud.Iam;

/// <summary>What a document is for: an identity policy names resources; a trust policy names principals instead.</summary>
public enum PolicyKind
{
    Identity,
    Trust,
}
