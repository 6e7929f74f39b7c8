namespace Ops.Docker;

/// <summary>
/// What a push did: the manifest digest the registry stored, and, when the engine itemizes layers (Docker does, podman 4
/// does not), how many it uploaded and how many the registry already had.
/// </summary>
public sealed record PushResult(string Digest, int? LayersUploaded, int? LayersAlreadyPresent);
