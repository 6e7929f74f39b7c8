using Ops.Stack.Core;

namespace Ops.Stack.Status;

/// <summary>
/// Status rows for resources whose provisioner has no describe of its own: the provisioner runs as a dry run with a
/// silent log, so its read calls decide, and every change it would make is drift (a create: missing).
/// </summary>
internal sealed class DryRunStatus(StageContext context, string kind, IReadOnlyList<string> names,
    Func<StageContext, CancellationToken, Task<IReadOnlyList<Change>>> ensure) : IStatusSource
{
    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var changes = await ensure(context with { DryRun = true, Log = new QuietLog(context.Log) }, cancellationToken);
        return names.Select(name =>
        {
            var mine = changes.Where(c => c.Resource.EndsWith(" " + name, StringComparison.Ordinal)).ToList();
            if (mine.Any(c => c.Old == null)) return ResourceStatus.Missing(kind, name);
            var drift = mine.Select(c => $"{c.Setting}: {c.Old} → {c.New}").ToList();
            return new ResourceStatus(kind, name, true, "exists", drift.Count == 0, drift);
        }).ToList();
    }
}
