namespace Ops.LocalCloud.Services.Iam;

/// <summary>An IAM role: its trust policy, inline policies by name, attached managed policy ARNs and tags.</summary>
internal sealed class IamRole
{
    public string Name { get; set; } = "";
    public string Path { get; set; } = "/";
    public string Id { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public string TrustPolicy { get; set; } = "";
    public string? Description { get; set; }
    public int MaxSessionDuration { get; set; } = 3600;
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string> InlinePolicies { get; set; } = new(StringComparer.Ordinal);
    public List<string> AttachedPolicies { get; set; } = [];
}
