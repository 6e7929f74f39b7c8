namespace Ops.LocalCloud.Registry;

/// <summary>A manifest as the registry serves it: its digest (<c>Docker-Content-Digest</c>), media type and exact bytes.</summary>
internal sealed record RegistryManifest(string Digest, string MediaType, byte[] Body);
