namespace Ops.Stack.Model;

/// <summary>The web tier's static files: how they are built, where they land, and the distribution that serves them.</summary>
public sealed record StaticsSpec
{
    /// <summary>
    /// The argv build-statics runs in the repository root (<c>[python3, web/manage.py, collectstatic, --noinput, --clear]</c>:
    /// --clear so a removed file leaves the directory, and deploy-statics deletes it from the bucket).
    /// </summary>
    public IReadOnlyList<string> Build { get; init; } = [];

    /// <summary>The directory the build writes and deploy-statics uploads (<c>web/staticfiles</c>).</summary>
    public string Directory { get; init; } = "web/staticfiles";

    /// <summary>The key prefix in the statics bucket (<c>static</c>).</summary>
    public string Prefix { get; init; } = "static";

    /// <summary>The CloudFront distribution in front of the bucket, whose changed paths are invalidated; null: none.</summary>
    public string? Distribution { get; init; }
}
