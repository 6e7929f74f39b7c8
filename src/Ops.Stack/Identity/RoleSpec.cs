using System.Text.Json.Nodes;

namespace Ops.Stack.Identity;

/// <summary>
/// One role create-iam puts: its name and what it is for, who may take it (the trust policy), its inline policy
/// (named <see cref="InlinePolicyName"/>), the AWS managed policies attached, and whether an instance profile of the
/// same name holds it.
/// </summary>
public sealed record RoleSpec
{
    /// <summary>The one inline policy Ops writes on each role.</summary>
    public const string InlinePolicyName = "ops";

    public required string Name { get; init; }

    /// <summary>What runs as it, in a few words (printed by the iam target and status).</summary>
    public required string Purpose { get; init; }

    public required JsonObject Trust { get; init; }

    public IReadOnlyList<IamStatement> Statements { get; init; } = [];

    public IReadOnlyList<string> ManagedPolicies { get; init; } = [];

    public bool InstanceProfile { get; init; }

    public string Arn(string account) => $"arn:aws:iam::{account}:role/{Name}";

    /// <summary>The inline policy document, or null when the role has no statements of its own.</summary>
    public JsonObject? Policy => Statements.Count == 0 ? null : PolicyDocuments.Of(Statements);
}
