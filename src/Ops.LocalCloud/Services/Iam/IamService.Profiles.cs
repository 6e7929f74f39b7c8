using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Iam;

internal sealed partial class IamService
{
    JsonNode? CreateInstanceProfile(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = CheckedName(Required(i, "InstanceProfileName"), "instanceProfileName", 128);
        if (State.InstanceProfiles.ContainsKey(name)) throw new AwsError("EntityAlreadyExists", $"Instance Profile {name} already exists.", 409);
        var profile = new IamInstanceProfile { Name = name, Path = CheckedPath(Optional(i, "Path")), Id = Identifiers.Random("AIPA", 17), Created = c.Now };
        MergeTags(profile.Tags, i["Tags"]);
        State.InstanceProfiles[name] = profile;
        return new JsonObject { ["InstanceProfile"] = ProfileView(profile, c) };
    });

    JsonNode? GetInstanceProfile(JsonObject i, RequestContext c) => Read(() =>
        new JsonObject { ["InstanceProfile"] = ProfileView(FindProfile(Required(i, "InstanceProfileName")), c) });

    JsonNode? DeleteInstanceProfile(JsonObject i, RequestContext c) => Write(() =>
    {
        var profile = FindProfile(Required(i, "InstanceProfileName"));
        if (profile.Roles.Count > 0) throw new AwsError("DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.", 409);
        State.InstanceProfiles.Remove(profile.Name);
        return new JsonObject();
    });

    JsonNode? AddRoleToInstanceProfile(JsonObject i, RequestContext c) => Write(() =>
    {
        var profile = FindProfile(Required(i, "InstanceProfileName"));
        var role = FindRole(Required(i, "RoleName"));
        if (profile.Roles.Count > 0)
            throw new AwsError("LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1", 409);
        profile.Roles.Add(role.Name);
        return new JsonObject();
    });

    JsonNode? RemoveRoleFromInstanceProfile(JsonObject i, RequestContext c) => Write(() =>
    {
        var profile = FindProfile(Required(i, "InstanceProfileName"));
        var name = Required(i, "RoleName");
        if (profile.Roles.RemoveAll(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase)) == 0)
            throw NoSuchEntity($"The role with name {name} cannot be found in instance profile {profile.Name}.");
        return new JsonObject();
    });

    IamInstanceProfile FindProfile(string name) =>
        State.InstanceProfiles.TryGetValue(name, out var p) ? p : throw NoSuchEntity($"Instance Profile {name} cannot be found.");

    JsonObject ProfileView(IamInstanceProfile profile, RequestContext c) => new()
    {
        ["Path"] = profile.Path,
        ["InstanceProfileName"] = profile.Name,
        ["InstanceProfileId"] = profile.Id,
        ["Arn"] = $"arn:aws:iam::{c.Account}:instance-profile{profile.Path}{profile.Name}",
        ["CreateDate"] = profile.Created.ToString("O"),
        ["Roles"] = new JsonArray(profile.Roles.Where(State.Roles.ContainsKey).Select(r => (JsonNode?)RoleView(State.Roles[r], c)).ToArray()),
        ["Tags"] = Tags(profile.Tags),
    };

    JsonNode? CreateOpenIdConnectProvider(JsonObject i, RequestContext c) => Write(() =>
    {
        var url = Required(i, "Url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme != "https")
            throw new AwsError("InvalidInput", $"Invalid Open ID Connect Provider URL: '{url}' must begin with https://.", 400);
        var key = parsed.Host + parsed.AbsolutePath.TrimEnd('/');
        if (State.OidcProviders.ContainsKey(key))
            throw new AwsError("EntityAlreadyExists", $"Provider with url {url} already exists.", 409);
        var provider = new IamOidcProvider { Url = key, ClientIds = Strings(i, "ClientIDList").ToList(), Thumbprints = Strings(i, "ThumbprintList").ToList(), Created = c.Now };
        MergeTags(provider.Tags, i["Tags"]);
        State.OidcProviders[key] = provider;
        return new JsonObject { ["OpenIDConnectProviderArn"] = $"arn:aws:iam::{c.Account}:oidc-provider/{key}", ["Tags"] = Tags(provider.Tags) };
    });

    JsonNode? GetOpenIdConnectProvider(JsonObject i, RequestContext c) => Read(() =>
    {
        var arn = Required(i, "OpenIDConnectProviderArn");
        var key = arn.Contains(":oidc-provider/", StringComparison.Ordinal) ? arn[(arn.IndexOf(":oidc-provider/", StringComparison.Ordinal) + ":oidc-provider/".Length)..] : arn;
        if (!State.OidcProviders.TryGetValue(key, out var p)) throw NoSuchEntity($"OpenIDConnect Provider not found for arn {arn}");
        return new JsonObject
        {
            ["Url"] = p.Url,
            ["ClientIDList"] = new JsonArray(p.ClientIds.Select(x => (JsonNode?)x).ToArray()),
            ["ThumbprintList"] = new JsonArray(p.Thumbprints.Select(x => (JsonNode?)x).ToArray()),
            ["CreateDate"] = p.Created.ToString("O"),
            ["Tags"] = Tags(p.Tags),
        };
    });

    JsonNode? ListOpenIdConnectProviders(JsonObject i, RequestContext c) => Read(() => new JsonObject
    {
        ["OpenIDConnectProviderList"] = new JsonArray(State.OidcProviders.Keys
            .Select(k => (JsonNode?)new JsonObject { ["Arn"] = $"arn:aws:iam::{c.Account}:oidc-provider/{k}" }).ToArray()),
    });
}
