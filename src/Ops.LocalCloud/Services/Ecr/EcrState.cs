namespace Ops.LocalCloud.Services.Ecr;

/// <summary>What ECR keeps between runs: repositories by name.</summary>
internal sealed class EcrState
{
    public SortedDictionary<string, EcrRepository> Repositories { get; set; } = new(StringComparer.Ordinal);
}
