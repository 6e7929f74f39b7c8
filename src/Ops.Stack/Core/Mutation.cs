namespace Ops.Stack.Core;

/// <summary>
/// Prints a change and makes it, or with --dry-run only prints it: the one place the fleet targets decide to mutate, and
/// so where the run's shared reads (<see cref="StageReads"/>) are forgotten.
/// </summary>
internal static class Mutation
{
    /// <summary>Logs <paramref name="change"/> (prefixed "would" on a dry run) and runs <paramref name="apply"/> unless it is a dry run.</summary>
    public static Task ApplyAsync(StageContext context, Change change, Func<Task> apply) => ApplyAsync(context, [change], apply);

    /// <summary>Logs every one of <paramref name="changes"/> and makes them with one call to <paramref name="apply"/> unless it is a dry run.</summary>
    public static async Task ApplyAsync(StageContext context, IReadOnlyList<Change> changes, Func<Task> apply)
    {
        foreach (var change in changes) context.Log.Info(context.DryRun ? $"would change {change}" : $"{change}");
        if (context.DryRun) return;
        try
        {
            await apply();
        }
        finally
        {
            // Even a change that failed part-way may have altered what was read.
            context.Reads.ForgetChangeable();
        }
    }
}
