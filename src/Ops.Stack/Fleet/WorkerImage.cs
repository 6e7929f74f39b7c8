namespace Ops.Stack.Fleet;

/// <summary>What the worker container runs: an image pinned by digest, or (LocalCloud, no image) the stack's local command.</summary>
internal sealed record WorkerImage(string Image, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The docker label LocalCloud reads the host command from (a JSON array of argv).</summary>
    public const string CommandLabel = "ops.local.command";

    /// <summary>The docker label LocalCloud reads the command's working directory from (absolute).</summary>
    public const string DirectoryLabel = "ops.local.directory";
}
