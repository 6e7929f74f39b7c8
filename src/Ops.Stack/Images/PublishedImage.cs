namespace Ops.Stack.Images;

/// <summary>An image in ECR: repository URI, tag and manifest digest, and whether this run uploaded it.</summary>
public sealed record PublishedImage(string RepositoryUri, string Tag, string Digest, bool AlreadyPushed)
{
    /// <summary>The reference ECS pins: <c>&lt;repositoryUri&gt;@sha256:…</c>.</summary>
    public string Reference => $"{RepositoryUri}@{Digest}";
}
