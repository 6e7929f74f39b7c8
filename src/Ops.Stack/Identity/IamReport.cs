using System.Text.Json.Nodes;
using Ops.Stack.Core;
using Ops.Stack.Output;

namespace Ops.Stack.Identity;

/// <summary>
/// The iam target: every role, trust and policy document create-iam would put for the stage (text, or JSON with
/// <c>--output json</c>), or with <c>--operator-policy</c> the policy a person or CI needs to run Ops for the stage: as
/// many managed-policy documents as AWS's 6,144-character limit needs, each ready for <c>aws iam create-policy</c>.
/// Reads only (the account id).
/// </summary>
public sealed class IamReport(StageContext context)
{
    public async Task PrintAsync(bool json, bool operatorPolicy, CancellationToken ct)
    {
        var roles = await new IamProvisioner(context).RolesAsync(ct);
        if (operatorPolicy)
        {
            var statements = new OperatorPolicy(context.Stack, roles, context.Connection.Region).Statements(changeIam: true);
            var policies = PolicyDocuments.Pack(statements, PolicyDocuments.ManagedPolicyLimit)
                .Select((d, i) => (JsonNode?)new JsonObject { ["name"] = $"ops-{context.Stack.Stage}-operator-{i + 1}", ["document"] = d }).ToArray();
            context.Log.Data(new JsonObject { ["stage"] = context.Stack.Stage, ["account"] = roles.Account, ["policies"] = new JsonArray(policies) }
                .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        if (json)
        {
            context.Log.Data(ResultJson.Line(ToJson(roles)));
            return;
        }
        foreach (var role in roles.All)
        {
            context.Log.Info($"role {role.Name} ({role.Arn(roles.Account)}): {role.Purpose}{(role.InstanceProfile ? "; instance profile of the same name" : "")}");
            context.Log.Info($"  trusts: {Trusted(role.Trust)}");
            foreach (var arn in role.ManagedPolicies) context.Log.Info($"  managed: {arn}");
            foreach (var s in role.Statements)
                context.Log.Info($"  {(s.Allow ? "allow" : "deny")} {string.Join(",", s.Actions)} on {string.Join(",", s.Resources)}{(s.Condition != null ? $" if {s.Condition.ToJsonString()}" : "")}");
        }
        if (!roles.HasDeployRole)
            context.Log.Info($"(no deploy role: set pipeline.repository: owner/name in the stack for GitHub Actions of that repository to deploy stage {context.Stack.Stage})");
    }

    static string Trusted(JsonObject trust) => string.Join("; ", (trust["Statement"] as JsonArray ?? []).OfType<JsonObject>().Select(s =>
        $"{string.Join(",", (s["Principal"] as JsonObject ?? []).Select(p => $"{p.Key} {p.Value}"))} ({s["Action"]}{(s["Condition"] is { } c ? $" if {c.ToJsonString()}" : "")})"));

    /// <summary>The JSON result (docs/iam.md): the account, the provider, and per role its documents and every wildcard with its reason.</summary>
    public static JsonObject ToJson(StageRoles roles) => new()
    {
        ["account"] = roles.Account,
        ["oidcProvider"] = roles.HasDeployRole ? roles.GitHubProviderArn : null,
        ["roles"] = new JsonArray(roles.All.Select(r => (JsonNode?)new JsonObject
        {
            ["name"] = r.Name,
            ["arn"] = r.Arn(roles.Account),
            ["purpose"] = r.Purpose,
            ["instanceProfile"] = r.InstanceProfile,
            ["trust"] = r.Trust.DeepClone(),
            ["policyName"] = r.Policy == null ? null : RoleSpec.InlinePolicyName,
            ["policy"] = r.Policy,
            ["managedPolicies"] = new JsonArray(r.ManagedPolicies.Select(m => (JsonNode?)m).ToArray()),
            ["wildcards"] = new JsonArray(r.Statements.Where(s => s.Why != null).Select(s => (JsonNode?)new JsonObject
            {
                ["sid"] = s.Sid,
                ["actions"] = new JsonArray(s.Actions.Select(a => (JsonNode?)a).ToArray()),
                ["why"] = s.Why,
            }).ToArray()),
        }).ToArray()),
    };
}
