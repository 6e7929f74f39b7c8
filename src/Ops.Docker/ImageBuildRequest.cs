namespace Ops.Docker;

/// <summary>What to build: a context directory, a Dockerfile (anywhere), the full tag (<c>repository:tag</c>) and build args.</summary>
public sealed record ImageBuildRequest(string ContextDirectory, string Dockerfile, string Tag)
{
    /// <summary>Build arguments (<c>--build-arg</c>).</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
}
