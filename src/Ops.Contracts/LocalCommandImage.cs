namespace Ops.Contracts;

/// <summary>
/// How a task definition asks the local cloud to run a host command instead of an image (no container engine): the
/// image ends in <see cref="Tag"/> and two docker labels carry the command and its directory.
/// </summary>
public static class LocalCommandImage
{
    /// <summary>The image tag of such a container, and the runner name the local cloud reports for it.</summary>
    public const string Tag = "local-command";

    /// <summary>The docker label with the host command: a JSON array of argv.</summary>
    public const string CommandLabel = "ops.local.command";

    /// <summary>The docker label with the command's working directory (absolute).</summary>
    public const string DirectoryLabel = "ops.local.directory";

    /// <summary>True when <paramref name="image"/> names no real image but the stack's local command.</summary>
    public static bool IsLocalCommand(string image) => image.EndsWith(":" + Tag, StringComparison.Ordinal);
}
