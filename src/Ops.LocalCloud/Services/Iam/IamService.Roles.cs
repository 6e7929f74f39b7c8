using System.Text.Json.Nodes;
using Ops.LocalCloud.Iam;

namespace Ops.LocalCloud.Services.Iam;

internal sealed partial class IamService
{
    /// <summary>IAM's names: letters, digits and <c>+=,.@_-</c>, at most 64 characters for a role.</summary>
    static string CheckedName(string name, string what, int max)
    {
        if (name.Length > max || name.Any(ch => !char.IsAsciiLetterOrDigit(ch) && !"+=,.@_-".Contains(ch)))
            throw new AwsError("ValidationError", $"The specified value for {what} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_- (at most {max}).", 400);
        return name;
    }

    static string CheckedPath(string? path)
    {
        path ??= "/";
        if (!path.StartsWith('/') || !path.EndsWith('/') || path.Length > 512)
            throw new AwsError("ValidationError", $"The specified value for path is invalid: '{path}' must begin and end with /.", 400);
        return path;
    }

    JsonNode? CreateRole(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = CheckedName(Required(i, "RoleName"), "roleName", 64);
        var trust = Checked(Required(i, "AssumeRolePolicyDocument"), PolicyKind.Trust);
        if (State.Roles.ContainsKey(name)) throw new AwsError("EntityAlreadyExists", $"Role with name {name} already exists.", 409);
        var role = new IamRole
        {
            Name = name,
            Path = CheckedPath(Optional(i, "Path")),
            Id = Identifiers.Random("AROA", 17),
            Created = c.Now,
            TrustPolicy = trust,
            Description = Optional(i, "Description"),
            MaxSessionDuration = (int)(Number(i, "MaxSessionDuration") ?? 3600),
        };
        MergeTags(role.Tags, i["Tags"]);
        State.Roles[name] = role;
        return new JsonObject { ["Role"] = RoleView(role, c) };
    });

    JsonNode? GetRole(JsonObject i, RequestContext c) => Read(() => new JsonObject { ["Role"] = RoleView(FindRole(Required(i, "RoleName")), c) });

    JsonNode? DeleteRole(JsonObject i, RequestContext c) => Write(() =>
    {
        var role = FindRole(Required(i, "RoleName"));
        if (role.InlinePolicies.Count > 0 || role.AttachedPolicies.Count > 0)
            throw new AwsError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
        if (State.InstanceProfiles.Values.Any(p => p.Roles.Contains(role.Name, StringComparer.OrdinalIgnoreCase)))
            throw new AwsError("DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.", 409);
        State.Roles.Remove(role.Name);
        return new JsonObject();
    });

    JsonNode? UpdateAssumeRolePolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        FindRole(Required(i, "RoleName")).TrustPolicy = Checked(Required(i, "PolicyDocument"), PolicyKind.Trust);
        return new JsonObject();
    });

    JsonNode? TagRole(JsonObject i, RequestContext c) => Write(() =>
    {
        MergeTags(FindRole(Required(i, "RoleName")).Tags, i["Tags"]);
        return new JsonObject();
    });

    JsonNode? PutRolePolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        var role = FindRole(Required(i, "RoleName"));
        var name = CheckedName(Required(i, "PolicyName"), "policyName", 128);
        var document = Checked(Required(i, "PolicyDocument"), PolicyKind.Identity);
        var total = role.InlinePolicies.Where(p => p.Key != name).Sum(p => p.Value.Length) + document.Length;
        if (total > PolicyDocument.MaxLength)
            throw new AwsError("LimitExceeded", $"Maximum policy size of {PolicyDocument.MaxLength} bytes exceeded for role {role.Name}", 409);
        role.InlinePolicies[name] = document;
        return new JsonObject();
    });

    JsonNode? GetRolePolicy(JsonObject i, RequestContext c) => Read(() =>
    {
        var role = FindRole(Required(i, "RoleName"));
        var name = Required(i, "PolicyName");
        if (!role.InlinePolicies.TryGetValue(name, out var document))
            throw NoSuchEntity($"The role policy with name {name} cannot be found.");
        return new JsonObject { ["RoleName"] = role.Name, ["PolicyName"] = name, ["PolicyDocument"] = Uri.EscapeDataString(document) };
    });

    JsonNode? ListRolePolicies(JsonObject i, RequestContext c) => Read(() =>
    {
        var page = Paginate(i, FindRole(Required(i, "RoleName")).InlinePolicies.Keys.Select(n => (JsonNode?)n), "PolicyNames", "Marker", "MaxItems", 100);
        page["IsTruncated"] = page.ContainsKey("Marker");
        return page;
    });

    JsonNode? DeleteRolePolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "PolicyName");
        if (!FindRole(Required(i, "RoleName")).InlinePolicies.Remove(name))
            throw NoSuchEntity($"The role policy with name {name} cannot be found.");
        return new JsonObject();
    });

    JsonNode? AttachRolePolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        var role = FindRole(Required(i, "RoleName"));
        var arn = Required(i, "PolicyArn");
        if (ManagedPolicies.Find(arn) == null)
            throw NoSuchEntity($"Policy {arn} does not exist or is not attachable (this local cloud knows {string.Join(", ", ManagedPolicies.Known)}).");
        if (!role.AttachedPolicies.Contains(arn)) role.AttachedPolicies.Add(arn);
        return new JsonObject();
    });

    JsonNode? DetachRolePolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        var arn = Required(i, "PolicyArn");
        if (!FindRole(Required(i, "RoleName")).AttachedPolicies.Remove(arn))
            throw NoSuchEntity($"Policy {arn} was not found.");
        return new JsonObject();
    });

    JsonNode? ListAttachedRolePolicies(JsonObject i, RequestContext c) => Read(() =>
    {
        var attached = FindRole(Required(i, "RoleName")).AttachedPolicies
            .Select(arn => (JsonNode?)new JsonObject { ["PolicyName"] = ManagedPolicies.NameOf(arn), ["PolicyArn"] = arn });
        var page = Paginate(i, attached, "AttachedPolicies", "Marker", "MaxItems", 100);
        page["IsTruncated"] = page.ContainsKey("Marker");
        return page;
    });

    IamRole FindRole(string name) =>
        State.Roles.TryGetValue(name, out var role) ? role : throw NoSuchEntity($"The role with name {name} cannot be found.");

    static JsonObject RoleView(IamRole role, RequestContext c) => new()
    {
        ["Path"] = role.Path,
        ["RoleName"] = role.Name,
        ["RoleId"] = role.Id,
        ["Arn"] = RoleArn(role, c.Account),
        ["CreateDate"] = role.Created.ToString("O"),
        ["AssumeRolePolicyDocument"] = Uri.EscapeDataString(role.TrustPolicy),
        ["Description"] = role.Description,
        ["MaxSessionDuration"] = role.MaxSessionDuration,
        ["Tags"] = Tags(role.Tags),
    };

    static JsonArray Tags(Dictionary<string, string> tags) =>
        new(tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());
}
