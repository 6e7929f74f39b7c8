namespace Ops.LocalCloud.Tasks;

/// <summary>Resolves an ECS container image reference (repository URI with a tag or <c>@sha256:</c> digest) to an unpacked image.</summary>
public interface IImageSource
{
    /// <summary>
    /// Pulls and unpacks <paramref name="image"/> (once per digest; later calls reuse the unpacked root).
    /// Throws <see cref="ImagePullException"/> with ECS's reason text when it cannot be resolved.
    /// </summary>
    Task<UnpackedImage> PullAsync(string image, CancellationToken cancellationToken);
}
