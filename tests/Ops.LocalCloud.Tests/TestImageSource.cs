using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Tests;

/// <summary>An image source for tests: every image is the prepared <see cref="UnpackedImage"/>, or the pull fails with a reason.</summary>
public sealed class TestImageSource(UnpackedImage? image, string? failure = null) : IImageSource
{
    public List<string> Pulled { get; } = [];

    public Task<UnpackedImage> PullAsync(string reference, CancellationToken cancellationToken)
    {
        lock (Pulled) Pulled.Add(reference);
        if (failure != null) throw new ImagePullException(failure);
        return Task.FromResult(image!);
    }
}
