using System.Text.Json;
using Ops.Aws.Ecr;
using Ops.Aws.Lookups;
using Ops.Contracts;
using Ops.Docker;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>
/// Finds the image the task definition pins: the working tree's tag (<see cref="ImageTag"/>) looked up in ECR for its digest,
/// <c>&lt;repositoryUri&gt;@sha256:…</c>. With no such image, on LocalCloud the stack's <c>local.command</c> (prepared once) runs
/// instead; on AWS it is an error naming build-docker (a dry run warns and goes on with the tag it would need).
/// </summary>
internal sealed class WorkerImageResolver(StageContext context)
{
    readonly EcrClient _ecr = new(context.Connection);

    public async Task<WorkerImage> ResolveAsync(CancellationToken ct)
    {
        var name = context.Stack.Repository.Name;
        var repository = await EcrLookup.RepositoryAsync(_ecr, name, ct);
        if (repository == null && !context.DryRun)
            throw new CloudStateException($"ECR repository {name} does not exist; run create-ecr-repository (create-ecs depends on it) and build-docker first.");
        var uri = repository?.RepositoryUri ?? $"<uri of {name}>";

        string? tag = null;
        string? why;
        try
        {
            tag = await ImageTag.ForWorkingTreeAsync(context.RepositoryRoot, ct);
            var digest = repository == null ? null : await DigestAsync(name, tag, ct);
            if (digest != null)
            {
                context.Log.Info($"image {uri}:{tag} is {digest}");
                return new WorkerImage($"{uri}@{digest}", new Dictionary<string, string>());
            }
            why = $"ECR has no image {uri}:{tag}";
        }
        catch (InvalidOperationException e)
        {
            why = e.Message;
        }

        if (!context.TasksRunAsProcesses && context.DryRun && tag != null)
        {
            // A dry run of a stage nothing was pushed to yet goes on, so that it can list everything else it would make.
            context.Log.Warning($"{why}: a real run needs build-docker first (it tags the image with the working tree's commit); this dry run assumes that image");
            return new WorkerImage($"{uri}:{tag}", new Dictionary<string, string>());
        }
        if (!context.TasksRunAsProcesses)
            throw new CloudStateException($"{why}; run build-docker first (it tags the image with the working tree's commit), then create-ecs.");
        return await LocalCommandAsync(uri, why, ct);
    }

    async Task<string?> DigestAsync(string repository, string tag, CancellationToken ct)
    {
        try
        {
            return (await _ecr.DescribeImagesAsync(new DescribeImagesRequest { RepositoryName = repository,
                ImageIds = [new ImageIdentifier { ImageTag = tag }] }, ct))
                .ImageDetails?.FirstOrDefault()?.ImageDigest;
        }
        catch (Exception e) when (AwsErrors.Is(e, "ImageNotFoundException"))
        {
            return null;
        }
    }

    async Task<WorkerImage> LocalCommandAsync(string uri, string why, CancellationToken ct)
    {
        var local = context.Stack.Local;
        if (local.Command.Count == 0)
            throw new StackException($"local.command: empty, and {why}; run build-docker, or set local.command in the stack to the worker's host command.");
        var directory = Path.GetFullPath(Path.Combine(context.RepositoryRoot, local.Directory));
        context.Log.Info($"{why}: the local cloud runs the stack's local command in {directory}: {string.Join(' ', local.Command)}");
        if (local.Prepare.Count > 0)
        {
            if (context.DryRun) context.Log.Info($"would run local.prepare: {string.Join(' ', local.Prepare)}");
            else await PrepareAsync(local.Prepare, ct);
        }
        var argv = local.Command.Select(a => Absolute(a, directory)).ToList();
        return new WorkerImage($"{uri}:{LocalCommandImage.Tag}", new Dictionary<string, string>
        {
            [LocalCommandImage.CommandLabel] = JsonSerializer.Serialize(argv),
            [LocalCommandImage.DirectoryLabel] = directory,
        });
    }

    /// <summary>
    /// A relative path argument (it has a '/', is no option, URL or assignment) made absolute against the command's directory,
    /// so LocalCloud runs the same files whatever its own working directory; anything else (like <c>dotnet</c>) unchanged.
    /// </summary>
    internal static string Absolute(string argument, string directory) =>
        argument.Contains('/') && !Path.IsPathRooted(argument) && !argument.StartsWith('-') && !argument.Contains('=') && !argument.Contains("://")
            ? Path.GetFullPath(Path.Combine(directory, argument))
            : argument;

    async Task PrepareAsync(IReadOnlyList<string> prepare, CancellationToken ct)
    {
        context.Log.Info($"local.prepare: {string.Join(' ', prepare)}");
        try
        {
            await PrepareCommand.RunAsync("local.prepare", prepare, context.RepositoryRoot, "create-ecs", context.Log, ct);
        }
        catch (PrepareCommandException e)
        {
            throw new CloudStateException(e.Message);
        }
    }
}
