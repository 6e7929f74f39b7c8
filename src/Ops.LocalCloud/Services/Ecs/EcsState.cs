using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>Everything ECS keeps (the <c>ecs.json</c> state file): clusters, task definition families and tags by ARN.</summary>
internal sealed class EcsState
{
    public SortedDictionary<string, EcsCluster> Clusters { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, List<EcsTaskDefinition>> Families { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();

    /// <summary>The revision a task definition reference names: family (latest ACTIVE), family:revision, or its ARN.</summary>
    public (string Family, EcsTaskDefinition Definition) FindTaskDefinition(string id)
    {
        var name = id.StartsWith("arn:", StringComparison.Ordinal) ? id.Split('/')[^1] : id;
        var colon = name.LastIndexOf(':');
        var family = colon < 0 ? name : name[..colon];
        if (!Families.TryGetValue(family, out var revisions))
            throw new AwsError("ClientException", "Unable to describe task definition.");
        var td = colon < 0
            ? revisions.LastOrDefault(r => r.Status == "ACTIVE")
            : revisions.FirstOrDefault(r => r.Revision.ToString() == name[(colon + 1)..]);
        return (family, td ?? throw new AwsError("ClientException", "Unable to describe task definition."));
    }

    /// <summary>The registered request of a task definition, or null when it no longer exists.</summary>
    public JsonObject? TaskDefinitionSpec(string arn)
    {
        try { return FindTaskDefinition(arn).Definition.Spec; }
        catch (AwsError) { return null; }
    }
}
