using Ops.Stack.Core;
using Ops.Stack.Fleet;
using Ops.Stack.Web;

namespace Ops.Stack.Lifecycle;

/// <summary>
/// recreate: brings the stage's compute back from the stack and what was last deployed (<see cref="DeployedVersions"/>):
/// the workers on the recorded image (create-ecs), the web environment on the recorded application version (create).
/// With nothing recorded, each comes from the working tree as create-ecs and create would make it, and says so.
/// </summary>
public sealed class StageRecreate(StageContext context)
{
    public async Task<IReadOnlyList<Change>> RecreateAsync(CancellationToken ct)
    {
        var deployed = new DeployedVersions(context);
        var image = await deployed.WorkerAsync(ct);
        var version = await deployed.WebAsync(ct);
        context.Log.Info(image != null ? $"workers: the recorded image {image}" : $"workers: nothing recorded in {deployed.WorkerParameter}; the working tree's image, as create-ecs");
        context.Log.Info(version != null ? $"web: the recorded version {version}" : $"web: nothing recorded in {deployed.WebParameter}; the working tree's web source, as create");
        var changes = new List<Change>();
        changes.AddRange(await new EcsProvisioner(context, image).EnsureAsync(ct));
        changes.AddRange(await new WebEnvironmentProvisioner(context, version).EnsureAsync(ct));
        return changes;
    }
}
