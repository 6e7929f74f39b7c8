namespace Ops.LocalCloud.Tasks;

/// <summary>
/// An image resolved in the local registry and unpacked on disk: its root file system and the parts of its
/// config a task runner needs to run it as a host process (entrypoint, command, environment, working directory).
/// </summary>
public sealed record UnpackedImage(
    string Digest,
    string RootDirectory,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);
