namespace Ops.Stack.Model;

/// <summary>The ECR repository of the worker image: immutable tags, scan on push, encrypted, the last <see cref="KeepImages"/> kept.</summary>
public sealed record RepositorySpec
{
    /// <summary>Repository name (iotile-cloud-server).</summary>
    public required string Name { get; init; }

    /// <summary>How many images the lifecycle policy keeps (1–1000).</summary>
    public int KeepImages { get; init; } = 30;
}
