using Ops.Aws;
using Ops.Aws.Ecr;
using Ops.Aws.Lookups;
using Ops.Docker;
using Ops.Stack.Model;

namespace Ops.Stack.Images;

/// <summary>
/// Builds the stage's worker image from the working tree and publishes it to the stage's ECR repository under the
/// tree's <see cref="ImageTag"/>: prepare, build, push. A tag ECR already holds is not built again: the tag names the
/// tree's content (commit, or commit plus a hash of the changes) and ECR's tags are immutable, so the image under it is this
/// tree's image — which also makes a re-run of a pipeline for the same commit a no-op on any machine.
/// </summary>
public sealed class ImagePublisher(AwsConnection connection, IStackLog log)
{
    /// <summary>
    /// Publishes the image and returns where it is; with <paramref name="dryRun"/> only says what it would build and push
    /// and returns null. User errors (<see cref="StackException"/>) are raised before anything is built or pushed.
    /// </summary>
    public async Task<PublishedImage?> PublishAsync(StageStack stack, string repositoryRoot, IReadOnlyDictionary<string, string> environment, bool dryRun,
        CancellationToken cancellationToken)
    {
        var image = stack.Image;
        var context = Path.GetFullPath(Path.Combine(repositoryRoot, image.Context));
        var dockerfile = Path.GetFullPath(Path.Combine(repositoryRoot, image.Dockerfile));
        if (!Directory.Exists(context))
            throw new StackException($"image.context '{image.Context}' is not a directory under {repositoryRoot}; point it at the directory to build from.");
        if (!File.Exists(dockerfile))
            throw new StackException($"image.dockerfile '{image.Dockerfile}' does not exist under {repositoryRoot}; point it at the Dockerfile to build.");
        try
        {
            await DockerIgnore.ReadAsync(context, cancellationToken);
        }
        catch (FormatException e)
        {
            throw new StackException($"{Path.Combine(image.Context, ".dockerignore")}: {e.Message}");
        }

        string tag;
        try
        {
            tag = await ImageTag.ForWorkingTreeAsync(repositoryRoot, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new StackException(e.Message);
        }

        var ecr = new EcrClient(connection);
        var repository = await FindRepositoryAsync(ecr, stack, cancellationToken);
        var uri = repository.RepositoryUri!;
        var existing = await FindImageAsync(ecr, stack.Repository.Name, tag, cancellationToken);
        if (existing?.ImageDigest is { } pushedDigest)
        {
            log.Info($"image    {uri}:{tag}");
            log.Info($"{(dryRun ? "would build and push nothing" : "already pushed, no layer uploaded")}: {uri}@{pushedDigest} " +
                     "(ECR holds this tree's tag, and a tag names one image: it is not rebuilt)");
            return dryRun ? null : new PublishedImage(uri, tag, pushedDigest, AlreadyPushed: true);
        }

        using var engine = await DockerEngine.LocateAsync(environment, cancellationToken);
        log.Info($"engine   {engine.Description}");
        log.Info($"image    {uri}:{tag}");

        if (dryRun)
        {
            if (image.Prepare.Count > 0) log.Info($"would run {string.Join(' ', image.Prepare)} in {repositoryRoot}");
            var args = image.BuildArgs.Count == 0 ? "" : $" with build args {string.Join(", ", image.BuildArgs.Keys.Order(StringComparer.Ordinal))}";
            log.Info($"would build {image.Context} with {image.Dockerfile}{args}");
            log.Info($"would push {uri}:{tag} (ECR has no image tagged {tag} yet)");
            return null;
        }

        if (image.Prepare.Count > 0)
        {
            log.Info($"prepare  {string.Join(' ', image.Prepare)}");
            try
            {
                await PrepareCommand.RunAsync("image.prepare", image.Prepare, repositoryRoot, "build-docker", log, cancellationToken);
            }
            catch (PrepareCommandException e)
            {
                throw new ImagePublishException(e.Message, e);
            }
        }

        // No pruning of dangling images afterwards: with podman they are the layer cache of the next build.
        log.Info($"building {image.Context} with {image.Dockerfile}");
        string imageId;
        try
        {
            imageId = await engine.BuildAsync(new ImageBuildRequest(context, dockerfile, $"{uri}:{tag}") { BuildArgs = image.BuildArgs }, line => log.Info("  " + line),
                cancellationToken);
        }
        catch (ImageBuildException e)
        {
            throw new ImagePublishException(e.Message, e);
        }
        log.Info($"built    {imageId}");

        var auth = await AuthorizeAsync(ecr, uri, cancellationToken);
        log.Info($"pushing  {uri}:{tag}");
        PushResult pushed;
        try
        {
            pushed = await engine.PushAsync(uri, tag, auth, line => log.Info("  " + line), cancellationToken);
        }
        catch (ImageBuildException e)
        {
            throw new ImagePublishException(e.Message, e);
        }
        log.Info(pushed.LayersUploaded is { } up
            ? $"pushed   {uri}@{pushed.Digest} ({up} layer(s) uploaded, {pushed.LayersAlreadyPresent} already in the registry)"
            : $"pushed   {uri}@{pushed.Digest} (the engine does not itemize layers; the ones the registry has are not sent again)");
        return new PublishedImage(uri, tag, pushed.Digest, AlreadyPushed: false);
    }

    async Task<Repository> FindRepositoryAsync(EcrClient ecr, StageStack stack, CancellationToken cancellationToken)
    {
        if (await EcrLookup.RepositoryAsync(ecr, stack.Repository.Name, cancellationToken) is { RepositoryUri: { Length: > 0 } } repository) return repository;
        throw new StackException($"ECR repository '{stack.Repository.Name}' does not exist at {connection}; create it first: ./build.sh create-ecr-repository --stage {stack.Stage}");
    }

    static async Task<ImageDetail?> FindImageAsync(EcrClient ecr, string repository, string tag, CancellationToken cancellationToken)
    {
        try
        {
            var found = await ecr.DescribeImagesAsync(new DescribeImagesRequest { RepositoryName = repository,
                ImageIds = [new ImageIdentifier { ImageTag = tag }] }, cancellationToken);
            return found.ImageDetails?.FirstOrDefault();
        }
        catch (Exception e) when (AwsErrors.Is(e, "ImageNotFoundException"))
        {
            return null;
        }
    }

    /// <summary>ECR's registry credentials for the registry <paramref name="uri"/> lives in (never logged).</summary>
    static async Task<RegistryAuth> AuthorizeAsync(EcrClient ecr, string uri, CancellationToken cancellationToken)
    {
        var registry = uri.Split('/')[0];
        var data = (await ecr.GetAuthorizationTokenAsync(new GetAuthorizationTokenRequest(), cancellationToken)).AuthorizationData ?? [];
        var match = data.FirstOrDefault(d => Uri.TryCreate(d.ProxyEndpoint, UriKind.Absolute, out var p) && p.Authority == registry) ?? data.FirstOrDefault();
        if (match?.AuthorizationToken is not { Length: > 0 } token)
            throw new ImagePublishException($"ECR GetAuthorizationToken returned no token for {registry}; check that the credentials allow ecr:GetAuthorizationToken.");
        try
        {
            return RegistryAuth.FromEcrToken(registry, token);
        }
        catch (FormatException e)
        {
            throw new ImagePublishException(e.Message, e);
        }
    }
}
