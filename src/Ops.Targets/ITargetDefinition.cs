using System.Linq.Expressions;

namespace Ops.Targets;

/// <summary>The fluent vocabulary a target declaration uses to describe itself.</summary>
public interface ITargetDefinition
{
    /// <summary>One line shown in <c>--help</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>These targets run (and must succeed or be skipped) before this one.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>This target becomes a dependency of the given targets.</summary>
    ITargetDefinition DependentFor(params Target[] targets);

    /// <summary>If both are in the plan, this target runs before the given ones. Does not add them.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>If both are in the plan, this target runs after the given ones. Does not add them.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>The given targets join the plan and run after this one succeeds.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>This target joins the plan and runs after any of the given targets succeeds.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Evaluated while planning; when false the target and the dependencies only it needs are skipped.</summary>
    ITargetDefinition OnlyWhenStatic(Expression<Func<bool>> condition);

    /// <summary>Evaluated just before the target would run; when false it is skipped (its dependencies already ran).</summary>
    ITargetDefinition OnlyWhenDynamic(Expression<Func<bool>> condition);

    /// <summary>Each named parameter must be set (not null, empty or an empty list) before anything runs.</summary>
    ITargetDefinition Requires(params Expression<Func<object?>>[] parameters);

    /// <summary>The condition must hold before anything runs; otherwise the build stops with a usage error.</summary>
    ITargetDefinition Requires(Expression<Func<bool>> condition);

    /// <summary>
    /// Runs <paramref name="check"/> before anything runs (with the requirements, in the order declared). The check
    /// throws <see cref="UsageException"/> with its own message (the problem and the fix) to stop the build with exit 2.
    /// </summary>
    ITargetDefinition Validates(Action check, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(check))] string? text = null);

    /// <summary>A failure of this target does not stop independent targets from starting.</summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>This target runs even after a failure or cancellation (cleanup).</summary>
    ITargetDefinition AssuredAfterFailure();

    /// <summary>Hidden from <c>--help</c>; still invocable.</summary>
    ITargetDefinition Unlisted();

    /// <summary>Adds a synchronous body. Several bodies run in the order given.</summary>
    ITargetDefinition Executes(Action action);

    /// <summary>Adds an asynchronous body.</summary>
    ITargetDefinition Executes(Func<Task> action);

    /// <summary>Adds an asynchronous body that observes cancellation (Ctrl+C, SIGTERM).</summary>
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
