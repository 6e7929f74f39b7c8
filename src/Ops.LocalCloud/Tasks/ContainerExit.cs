namespace Ops.LocalCloud.Tasks;

/// <summary>One container's end: its process's exit code (128 + signal when killed), or why it never ran.</summary>
internal sealed record ContainerExit(string Name, int? ExitCode, string? Reason);
