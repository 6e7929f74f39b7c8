using System.Text.Json.Nodes;
using Ops.Aws.Iam;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using Ops.Stack.Status;
using Tag = Ops.Aws.Iam.Tag;

namespace Ops.Stack.Identity;

/// <summary>
/// create-iam: every role of <see cref="StageRoles"/> as the stack says — trust policy, the one inline policy
/// <c>ops</c>, the AWS managed policies, the instance profile, the stack's tags — and GitHub's OIDC provider once per
/// account when the stage has a deploy role. Idempotent; a trust or policy that differs is shown (by statement) and
/// put again; inline or managed policies the stack does not name are removed. A role of the same name without Ops's
/// tags (ManagedBy=Ops, Stage=this stage) is never modified: the run fails naming it.
/// </summary>
public sealed class IamProvisioner(StageContext context) : IStatusSource
{
    /// <summary>GitHub's OIDC certificate thumbprint (AWS no longer checks it for GitHub, but the API still requires one).</summary>
    const string GitHubThumbprint = "6938fd4d98bab03faadb97b34396831e3780aea1";

    readonly IamClient _iam = new(context.Connection);

    /// <summary>The stage's roles in this account and region.</summary>
    public async Task<StageRoles> RolesAsync(CancellationToken ct)
    {
        return new StageRoles(context.Stack, await AccountId.OfAsync(context, ct), context.Connection.Region);
    }

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken ct)
    {
        var roles = await RolesAsync(ct);
        // Refuse before changing anything: every role of that name must be absent or Ops's own.
        var existing = new Dictionary<string, Role?>();
        foreach (var role in roles.All)
        {
            existing[role.Name] = await FindAsync(role.Name, ct);
            if (existing[role.Name] is { } found && ForeignReason(found) is { } why)
                throw new CloudStateException($"iam role {role.Name} exists but {why}: Ops never modifies a role it did not create; delete it, or name another in the stack (iam.*-role, instances.instance-profile, firehose.role).");
        }
        var changes = new List<Change>();
        if (!roles.HasDeployRole)
            context.Log.Info($"iam role {context.Stack.Iam.DeployRole}: not made (set pipeline.repository: owner/name in the stack for a GitHub deploy role)");
        else
            changes.AddRange(await EnsureGitHubProviderAsync(roles, ct));
        foreach (var role in roles.All) changes.AddRange(await EnsureRoleAsync(role, existing[role.Name], roles.Account, ct));
        return changes;
    }

    async Task<IReadOnlyList<Change>> EnsureGitHubProviderAsync(StageRoles roles, CancellationToken ct)
    {
        var providers = (await _iam.ListOpenIDConnectProvidersAsync(new ListOpenIDConnectProvidersRequest(), ct)).OpenIDConnectProviderList ?? [];
        if (providers.Any(p => p.Arn == roles.GitHubProviderArn)) return [];
        var change = new Change($"iam oidc provider {StageRoles.GitHubIssuer}", "provider", null, "GitHub Actions' OpenID Connect issuer, audience sts.amazonaws.com (once per account)");
        await Mutation.ApplyAsync(context, change, () => _iam.CreateOpenIDConnectProviderAsync(new CreateOpenIDConnectProviderRequest
        {
            Url = $"https://{StageRoles.GitHubIssuer}",
            ClientIDList = ["sts.amazonaws.com"],
            ThumbprintList = [GitHubThumbprint],
            Tags = Tags(),
        }, ct));
        return [change];
    }

    async Task<IReadOnlyList<Change>> EnsureRoleAsync(RoleSpec role, Role? existing, string account, CancellationToken ct)
    {
        var resource = $"iam role {role.Name}";
        var changes = new List<Change>();
        if (existing == null)
        {
            var what = string.Join(", ", new[]
            {
                $"for {role.Purpose}",
                role.Policy == null ? null : $"{role.Statements.Count} statement(s)",
                role.ManagedPolicies.Count == 0 ? null : "managed " + string.Join(", ", role.ManagedPolicies.Select(p => p[(p.LastIndexOf('/') + 1)..])),
                role.InstanceProfile ? "instance profile" : null,
            }.OfType<string>());
            var change = new Change(resource, "role", null, what);
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await _iam.CreateRoleAsync(new CreateRoleRequest
                {
                    RoleName = role.Name,
                    AssumeRolePolicyDocument = PolicyDocuments.Text(role.Trust),
                    Description = $"Ops: {role.Purpose}",
                    Tags = Tags(),
                }, ct);
                if (role.Policy is { } policy) await PutPolicyAsync(role, policy, ct);
                foreach (var arn in role.ManagedPolicies) await _iam.AttachRolePolicyAsync(new AttachRolePolicyRequest { RoleName = role.Name,
                    PolicyArn = arn }, ct);
            });
            if (role.InstanceProfile) changes.AddRange(await EnsureProfileAsync(role, ct));
            return changes;
        }

        var drift = await DriftAsync(role, existing, ct);
        foreach (var (change, apply) in drift)
        {
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, apply);
        }
        if (role.InstanceProfile) changes.AddRange(await EnsureProfileAsync(role, ct));
        if (changes.Count == 0) context.Log.Info($"{resource}: up to date ({role.Arn(account)})");
        return changes;
    }

    /// <summary>What differs between the role as it is and as the stack wants it, each with the call that corrects it.</summary>
    async Task<List<(Change, Func<Task>)>> DriftAsync(RoleSpec role, Role existing, CancellationToken ct)
    {
        var resource = $"iam role {role.Name}";
        var fixes = new List<(Change, Func<Task>)>();
        var trust = PolicyDocuments.Read(existing.AssumeRolePolicyDocument);
        if (!PolicyDocuments.Same(trust, role.Trust))
            fixes.Add((new Change(resource, "trust policy", Describe(trust), "as the stack says: " + Describe(role.Trust)),
                () => _iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest { RoleName = role.Name,
                    PolicyDocument = PolicyDocuments.Text(role.Trust) }, ct)));

        var inline = (await _iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = role.Name }, ct)).PolicyNames ?? [];
        if (role.Policy is { } wanted)
        {
            var current = inline.Contains(RoleSpec.InlinePolicyName)
                ? PolicyDocuments.Read((await _iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = role.Name, PolicyName = RoleSpec.InlinePolicyName },
                    ct)).PolicyDocument)
                : null;
            if (!PolicyDocuments.Same(current, wanted))
                fixes.Add((new Change(resource, $"policy {RoleSpec.InlinePolicyName}", current == null ? "(none)" : Differences(current, wanted), "as the stack says"),
                    () => PutPolicyAsync(role, wanted, ct)));
        }
        foreach (var extra in inline.Where(n => n != RoleSpec.InlinePolicyName || role.Policy == null))
            fixes.Add((new Change(resource, $"policy {extra}", "(present)", "removed: not in the stack"),
                () => _iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = role.Name, PolicyName = extra }, ct)));

        var attached = ((await _iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = role.Name }, ct)).AttachedPolicies ?? [])
            .Select(p => p.PolicyArn!).ToList();
        foreach (var missing in role.ManagedPolicies.Except(attached))
            fixes.Add((new Change(resource, "managed policy", "(not attached)", missing),
                () => _iam.AttachRolePolicyAsync(new AttachRolePolicyRequest { RoleName = role.Name, PolicyArn = missing }, ct)));
        foreach (var extra in attached.Except(role.ManagedPolicies))
            fixes.Add((new Change(resource, "managed policy", extra, "detached: not in the stack"),
                () => _iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = role.Name, PolicyArn = extra }, ct)));

        var tags = (existing.Tags ?? []).ToDictionary(t => t.Key!, t => t.Value ?? "");
        var missingTags = context.Stack.Tags.Where(t => tags.GetValueOrDefault(t.Key) != t.Value).ToList();
        if (missingTags.Count > 0)
            fixes.Add((new Change(resource, "tags", string.Join(",", missingTags.Select(t => t.Key)) + " (missing or other)", "the stack's tags"),
                () => _iam.TagRoleAsync(new TagRoleRequest { RoleName = role.Name, Tags = Tags() }, ct)));
        return fixes;
    }

    async Task<IReadOnlyList<Change>> EnsureProfileAsync(RoleSpec role, CancellationToken ct)
    {
        var resource = $"iam instance profile {role.Name}";
        InstanceProfile? profile = null;
        try
        {
            profile = (await _iam.GetInstanceProfileAsync(new GetInstanceProfileRequest { InstanceProfileName = role.Name }, ct)).InstanceProfile;
        }
        catch (Exception e) when (AwsErrors.Is(e, "NoSuchEntity"))
        {
        }
        var holds = profile?.Roles?.Select(r => r.RoleName!).ToList() ?? [];
        if (profile != null && holds.SequenceEqual([role.Name])) return [];
        var change = new Change(resource, "role", profile == null ? null : holds.Count == 0 ? "(empty)" : string.Join(",", holds), role.Name);
        await Mutation.ApplyAsync(context, change, async () =>
        {
            if (profile == null)
                await _iam.CreateInstanceProfileAsync(new CreateInstanceProfileRequest { InstanceProfileName = role.Name, Tags = Tags() }, ct);
            foreach (var other in holds)
                await _iam.RemoveRoleFromInstanceProfileAsync(new RemoveRoleFromInstanceProfileRequest { InstanceProfileName = role.Name, RoleName = other },
                    ct);
            await _iam.AddRoleToInstanceProfileAsync(new AddRoleToInstanceProfileRequest { InstanceProfileName = role.Name, RoleName = role.Name }, ct);
        });
        return [change];
    }

    Task PutPolicyAsync(RoleSpec role, JsonObject policy, CancellationToken ct) =>
        _iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = role.Name, PolicyName = RoleSpec.InlinePolicyName,
            PolicyDocument = PolicyDocuments.Text(policy) }, ct);

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken ct)
    {
        var roles = await RolesAsync(ct);
        var rows = new List<ResourceStatus>();
        foreach (var role in roles.All)
        {
            var existing = await FindAsync(role.Name, ct);
            if (existing == null)
            {
                rows.Add(ResourceStatus.Missing("iam-role", role.Name));
                continue;
            }
            if (ForeignReason(existing) is { } why)
            {
                rows.Add(new ResourceStatus("iam-role", role.Name, true, "not Ops's", false, [why]));
                continue;
            }
            var drift = (await DriftAsync(role, existing, ct)).Select(d => $"{d.Item1.Setting}: {d.Item1.Old} → {d.Item1.New}").ToList();
            rows.Add(new ResourceStatus("iam-role", role.Name, true, drift.Count == 0 ? "ok" : "drifted", drift.Count == 0, drift));
        }
        return rows;
    }

    /// <summary>destroy: each role of the stage Ops made, with its policies and instance profile. GitHub's provider stays (the account's, shared by every
    /// stage).</summary>
    public async Task<IReadOnlyList<Change>> DeleteAsync(CancellationToken ct)
    {
        var roles = await RolesAsync(ct);
        var changes = new List<Change>();
        foreach (var role in roles.All.Reverse())
        {
            if (await FindAsync(role.Name, ct) is not { } existing) continue;
            if (ForeignReason(existing) is { } why)
            {
                context.Log.Warning($"iam role {role.Name}: kept — it {why}");
                continue;
            }
            var change = new Change($"iam role {role.Name}", "role", "exists", "deleted");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, () => DeleteRoleAsync(role.Name, ct));
        }
        if (roles.HasDeployRole)
            context.Log.Info($"kept (the account's, shared by every stage): iam oidc provider {StageRoles.GitHubIssuer}");
        return changes;
    }

    async Task DeleteRoleAsync(string name, CancellationToken ct)
    {
        try
        {
            var profile = (await _iam.GetInstanceProfileAsync(new GetInstanceProfileRequest { InstanceProfileName = name }, ct)).InstanceProfile!;
            foreach (var r in profile.Roles ?? [])
                await _iam.RemoveRoleFromInstanceProfileAsync(new RemoveRoleFromInstanceProfileRequest { InstanceProfileName = name, RoleName = r.RoleName },
                    ct);
            await _iam.DeleteInstanceProfileAsync(new DeleteInstanceProfileRequest { InstanceProfileName = name }, ct);
        }
        catch (Exception e) when (AwsErrors.Is(e, "NoSuchEntity"))
        {
        }
        foreach (var p in (await _iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = name }, ct)).AttachedPolicies ?? [])
            await _iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = name, PolicyArn = p.PolicyArn }, ct);
        foreach (var p in (await _iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = name }, ct)).PolicyNames ?? [])
            await _iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = name, PolicyName = p }, ct);
        await _iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = name }, ct);
    }

    async Task<Role?> FindAsync(string name, CancellationToken ct)
    {
        try
        {
            return (await _iam.GetRoleAsync(new GetRoleRequest { RoleName = name }, ct)).Role;
        }
        catch (Exception e) when (AwsErrors.Is(e, "NoSuchEntity"))
        {
            return null;
        }
    }

    /// <summary>Why a role is not this stage's Ops role (null when it is): Ops tags every role it makes with ManagedBy=Ops and the stage.</summary>
    string? ForeignReason(Role role)
    {
        var tags = (role.Tags ?? []).ToDictionary(t => t.Key!, t => t.Value ?? "");
        if (tags.GetValueOrDefault("ManagedBy") != "Ops") return "has no ManagedBy=Ops tag (Ops did not create it)";
        if (tags.GetValueOrDefault("Stage") is { } stage && stage != context.Stack.Stage) return $"belongs to stage {stage}";
        return null;
    }

    List<Tag> Tags() => context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();

    /// <summary>A trust policy in a few words: who may take the role.</summary>
    static string Describe(JsonNode? trust)
    {
        var principals = (trust?["Statement"] as JsonArray ?? (trust?["Statement"] is JsonObject one ? [one.DeepClone()] : []))
            .Select(s => s?["Principal"]).OfType<JsonObject>()
            .SelectMany(p => p.Select(kv => $"{kv.Key} {string.Join(",", kv.Value is JsonArray a ? a.Select(x => (string?)x) : [(string?)kv.Value])}"));
        var text = string.Join("; ", principals);
        return text.Length == 0 ? "(none)" : text;
    }

    /// <summary>Which statements (by Sid) differ: added, changed or removed.</summary>
    static string Differences(JsonNode current, JsonObject wanted)
    {
        static Dictionary<string, JsonNode> BySid(JsonNode? doc) =>
            (doc?["Statement"] as JsonArray ?? []).OfType<JsonObject>().Select((s, i) => ((string?)s["Sid"] ?? $"#{i + 1}", (JsonNode)s))
                .GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
        var (have, want) = (BySid(current), BySid(wanted));
        var parts = want.Keys.Where(k => !have.ContainsKey(k)).Select(k => $"+{k}")
            .Concat(want.Keys.Where(k => have.ContainsKey(k) && !PolicyDocuments.Same(have[k], want[k])).Select(k => $"~{k}"))
            .Concat(have.Keys.Where(k => !want.ContainsKey(k)).Select(k => $"-{k}"));
        return "statements " + string.Join(" ", parts);
    }
}
