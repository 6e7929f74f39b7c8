namespace Ops.Stack.Model;

/// <summary>How the worker image is built: context and Dockerfile (relative to the repository root), build args, and a command run first.</summary>
public sealed record ImageSpec
{
    /// <summary>Build context directory, relative to the repository root (workers).</summary>
    public required string Context { get; init; }

    /// <summary>Dockerfile path, relative to the repository root (workers/Dockerfile).</summary>
    public required string Dockerfile { get; init; }

    /// <summary>Build arguments (<c>--build-arg</c>), like BASE.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>A command run in the repository root before the build (argv; empty: none), e.g. publishing the worker into the context.</summary>
    public IReadOnlyList<string> Prepare { get; init; } = [];
}
