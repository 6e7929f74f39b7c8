using System.Collections.Concurrent;
using Ops.LocalCloud.Iam;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Iam;

/// <summary>
/// IAM: roles with trust, inline and attached AWS managed policies, instance profiles, OpenID Connect providers, and
/// SimulatePrincipalPolicy answered by <see cref="PolicyEvaluator"/> — the evaluator the server enforces requests with.
/// IAM is global: ARNs carry no region.
/// </summary>
internal sealed partial class IamService : ServiceHandler<IamState>
{
    readonly ConcurrentDictionary<(string, PolicyKind), PolicyDocument> _parsed = new();

    public override string Name => "iam";

    public IamService(StateStore store) : base(store)
    {
        On("CreateRole", CreateRole);
        On("GetRole", GetRole);
        On("DeleteRole", DeleteRole);
        On("UpdateAssumeRolePolicy", UpdateAssumeRolePolicy);
        On("TagRole", TagRole);
        On("PutRolePolicy", PutRolePolicy);
        On("GetRolePolicy", GetRolePolicy);
        On("ListRolePolicies", ListRolePolicies);
        On("DeleteRolePolicy", DeleteRolePolicy);
        On("AttachRolePolicy", AttachRolePolicy);
        On("DetachRolePolicy", DetachRolePolicy);
        On("ListAttachedRolePolicies", ListAttachedRolePolicies);
        On("CreateInstanceProfile", CreateInstanceProfile);
        On("GetInstanceProfile", GetInstanceProfile);
        On("DeleteInstanceProfile", DeleteInstanceProfile);
        On("AddRoleToInstanceProfile", AddRoleToInstanceProfile);
        On("RemoveRoleFromInstanceProfile", RemoveRoleFromInstanceProfile);
        On("CreateOpenIDConnectProvider", CreateOpenIdConnectProvider);
        On("GetOpenIDConnectProvider", GetOpenIdConnectProvider);
        On("ListOpenIDConnectProviders", ListOpenIdConnectProviders);
        On("SimulatePrincipalPolicy", SimulatePrincipalPolicy);
    }

    /// <summary>The role's identity policies (inline, then attached), or null when no such role exists.</summary>
    public IReadOnlyList<SourcePolicy>? PoliciesOf(string roleArn)
    {
        lock (Gate)
        {
            if (!State.Roles.TryGetValue(NameOf(roleArn), out var role)) return null;
            var inline = role.InlinePolicies.Select(p => new SourcePolicy(p.Key, "role", Parsed(p.Value, PolicyKind.Identity)));
            var attached = role.AttachedPolicies.Select(arn => new SourcePolicy(arn, "aws-managed", Parsed(ManagedPolicies.Find(arn)!, PolicyKind.Identity)));
            return inline.Concat(attached).ToList();
        }
    }

    /// <summary>The role's trust policy and longest session, or null when no such role exists.</summary>
    public (PolicyDocument Trust, int MaxSessionSeconds, string Arn)? TrustOf(string roleArn, string account)
    {
        lock (Gate)
            return State.Roles.TryGetValue(NameOf(roleArn), out var role)
                ? (Parsed(role.TrustPolicy, PolicyKind.Trust), role.MaxSessionDuration, RoleArn(role, account)) : null;
    }

    /// <summary>The ARN of the role in an instance profile (given by name or ARN), or null when the profile does not exist or holds no role.</summary>
    public string? RoleOfInstanceProfile(string profile, string account)
    {
        lock (Gate)
            return State.InstanceProfiles.TryGetValue(NameOf(profile), out var p) && p.Roles.FirstOrDefault() is { } name
                && State.Roles.TryGetValue(name, out var role)
                ? RoleArn(role, account)
                : null;
    }

    PolicyDocument Parsed(string text, PolicyKind kind) => _parsed.GetOrAdd((text, kind), k => PolicyDocument.Parse(k.Item1, k.Item2));

    /// <summary>The last path segment of a role or profile ARN, or the name itself.</summary>
    static string NameOf(string nameOrArn) => nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn[(nameOrArn.LastIndexOf('/') + 1)..] : nameOrArn;

    static string RoleArn(IamRole role, string account) => $"arn:aws:iam::{account}:role{role.Path}{role.Name}";

    static AwsError NoSuchEntity(string message) => new("NoSuchEntity", message, 404);

    static AwsError Malformed(string message) => new("MalformedPolicyDocument", message, 400);

    /// <summary>Parses a document as IAM does when it is put: MalformedPolicyDocument for anything it would refuse.</summary>
    static string Checked(string text, PolicyKind kind)
    {
        try
        {
            PolicyDocument.Parse(text, kind);
            return text;
        }
        catch (PolicyException e)
        {
            throw Malformed(e.Message);
        }
    }
}
