namespace Ops.Aws;

/// <summary>The seam for the embedded local cloud: start it (or find the one running) and say where it listens.</summary>
public interface ILocalCloud
{
    Task<LocalCloudEndpoint> EnsureRunningAsync(CancellationToken cancellationToken);
}

/// <summary>Where a local cloud listens and the credentials it verifies signatures against.</summary>
public sealed record LocalCloudEndpoint(Uri Url, string AccessKey, string SecretKey);
