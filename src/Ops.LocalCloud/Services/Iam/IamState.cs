namespace Ops.LocalCloud.Services.Iam;

/// <summary>Everything IAM keeps: roles, instance profiles and OpenID Connect providers, by name (providers by URL host and path).</summary>
internal sealed class IamState
{
    public SortedDictionary<string, IamRole> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public SortedDictionary<string, IamInstanceProfile> InstanceProfiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public SortedDictionary<string, IamOidcProvider> OidcProviders { get; set; } = new(StringComparer.Ordinal);
}
