using Ops.Stack.Model;

namespace Ops.Stack.Lifecycle;

/// <summary>
/// The refusals of the targets that stop or delete a stage, decided before anything runs: each returns the one line that
/// says what is missing and how to go on, or null when the run may start. A dry run changes nothing, so it is never refused.
/// </summary>
public static class StageGuards
{
    /// <summary>Why a stage can be protected, for the refusals below.</summary>
    public const string ProtectedBecause = "prod, a stage like: prod, or protected: true in the stack";

    /// <summary>
    /// destroy: a protected stage also needs <c>--allow-prod</c>; every stage needs <c>--destroy-data</c> and <c>--confirm</c>
    /// with its own name, so that a wrong <c>--stage</c> cannot delete another stage's data.
    /// </summary>
    public static string? Destroy(StageStack stack, bool dryRun, bool allowProd, bool destroyData, string? confirm)
    {
        var stage = stack.Stage;
        if (dryRun) return null;
        if (stack.Protected && !allowProd)
            return $"destroy refuses stage {stage}: it is protected ({ProtectedBecause}) and destroy deletes its databases and data; "
                + "pass --allow-prod as well if that is really what you want (try --dry-run first).";
        if (!destroyData)
            return $"destroy deletes every data store of stage {stage}; pass --destroy-data --confirm {stage} to go on "
                + "(teardown removes only the compute; --dry-run lists what destroy would delete).";
        if (confirm == stage) return null;
        return confirm == null
            ? $"destroy needs --confirm {stage}: the stage's name again, so a wrong --stage cannot delete another stage's data."
            : $"--confirm '{confirm}' does not match --stage {stage}; pass --confirm {stage} to destroy stage {stage}.";
    }

    /// <summary>teardown and drill stop a protected stage's service: the stage's name typed again (<c>--confirm</c>) says it is meant.</summary>
    public static string? StopProtected(string target, StageStack stack, bool dryRun, string? confirm)
    {
        var stage = stack.Stage;
        if (dryRun || !stack.Protected || confirm == stage) return null;
        return confirm == null
            ? $"{target} of stage {stage} needs --confirm {stage}: the stage is protected ({ProtectedBecause}) and {target} stops what serves it."
            : $"--confirm '{confirm}' does not match --stage {stage}; pass --confirm {stage} to {target} stage {stage}.";
    }
}
