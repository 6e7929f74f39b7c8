using Ops.Docker;
using Ops.Stack.Images;
using Ops.Targets;

namespace Ops.Build;

/// <summary>Targets for the worker image: build it from the working tree and push it to the stage's ECR repository.</summary>
sealed partial class Build
{
    Target BuildDocker => _ => _
        .Description("Build the worker image from the working tree and push it to the stage's ECR repository, tagged with the commit")
        .Validates(CheckStack)
        .Executes(async ct =>
        {
            try
            {
                var published = await new ImagePublisher(await ConnectAsync(ct), StackLog).PublishAsync(StageStack, RootDirectory, Environment, DryRun, ct);
                if (published != null) Log.Info($"image    {published.Reference}");
            }
            catch (DockerEngineUnavailableException e) when (Cloud == Aws.CloudKind.Local && EndpointUrl == null)
            {
                Log.Info($"skipped: {e.Message}");
                Log.Info($"the local cloud runs the fleet from the stack's local.command ({string.Join(' ', StageStack.Local.Command)}) instead of an image");
            }
        });
}
