using System.Text.Json.Nodes;
using Ops.LocalCloud.Iam;

namespace Ops.LocalCloud.Services.Iam;

internal sealed partial class IamService
{
    /// <summary>
    /// Each action on each resource (<c>*</c> when none is given), evaluated against the role's policies with the
    /// context entries given — by the evaluator that enforces requests signed with the role's credentials.
    /// </summary>
    JsonNode? SimulatePrincipalPolicy(JsonObject i, RequestContext c) => Read(() =>
    {
        var source = Required(i, "PolicySourceArn");
        if (!source.Contains(":role/", StringComparison.Ordinal))
            throw new AwsError("InvalidInput", $"PolicySourceArn {source} is not a role ARN; this local cloud simulates roles (arn:aws:iam::ACCOUNT:role/NAME).", 400);
        var policies = PoliciesOf(source) ?? throw NoSuchEntity($"The role with name {NameOf(source)} cannot be found.");
        var actions = Strings(i, "ActionNames").ToList();
        if (actions.Count == 0) throw new AwsError("InvalidInput", "ActionNames must name at least one action.", 400);
        var resources = Strings(i, "ResourceArns").DefaultIfEmpty("*").ToList();
        var context = RequestContextKeys(source, c.Region);
        foreach (var entry in i["ContextEntries"] as JsonArray ?? [])
            context[(string)entry!["ContextKeyName"]!] = (entry["ContextKeyValues"] as JsonArray)?.Select(v => (string)v!).ToList() ?? [];
        var results = new JsonArray();
        foreach (var action in actions)
            foreach (var resource in resources)
            {
                var evaluation = PolicyEvaluator.Evaluate(policies, action, resource, context);
                results.Add(new JsonObject
                {
                    ["EvalActionName"] = action,
                    ["EvalResourceName"] = resource,
                    ["EvalDecision"] = evaluation.DecisionName,
                    ["MatchedStatements"] = new JsonArray(evaluation.Matched.Select(m => (JsonNode?)new JsonObject
                    {
                        ["SourcePolicyId"] = m.Policy.Id,
                        ["SourcePolicyType"] = m.Policy.Type,
                    }).ToArray()),
                    ["MissingContextValues"] = new JsonArray(),
                });
            }
        return new JsonObject { ["EvaluationResults"] = results, ["IsTruncated"] = false };
    });

    /// <summary>The global condition keys a request signed by this role carries (keys compare without case).</summary>
    public static Dictionary<string, IReadOnlyList<string>> RequestContextKeys(string principalArn, string region) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["aws:PrincipalArn"] = [principalArn],
        ["aws:RequestedRegion"] = [region],
        ["aws:SecureTransport"] = ["false"],
        ["aws:PrincipalAccount"] = [principalArn.Split(':')[4]],
    };
}
