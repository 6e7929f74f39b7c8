namespace Ops.Stack.Fleet;

/// <summary>
/// What the worker container runs: an image pinned by digest, or (LocalCloud, no image) the stack's local command, named
/// by the labels of <see cref="Ops.Contracts.LocalCommandImage"/>.
/// </summary>
internal sealed record WorkerImage(string Image, IReadOnlyDictionary<string, string> Labels);
