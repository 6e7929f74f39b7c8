namespace Ops.Stack.Model;

/// <summary>
/// How LocalCloud runs the workers when there is no image (no container engine): a host command, run in
/// <see cref="Directory"/> after <see cref="Prepare"/> (e.g. publishing Ops.Worker once).
/// </summary>
public sealed record LocalSpec
{
    /// <summary>The worker's argv on the host, like ["dotnet", ".nuke/temp/worker/Ops.Worker.dll"]; empty: none.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Working directory of the command, relative to the repository root.</summary>
    public string Directory { get; init; } = ".";

    /// <summary>Run once in the repository root before the command is used (argv; empty: none).</summary>
    public IReadOnlyList<string> Prepare { get; init; } = [];
}
