using System.Linq.Expressions;

namespace Ops.Targets;

/// <summary>Base class of a build: derive, declare <see cref="Target"/> properties and <see cref="ParameterAttribute"/> members.</summary>
public abstract class BuildBase
{
    IBuildLog? _log;
    string? _root;
    IReadOnlyDictionary<string, string>? _environment;

    /// <summary>Writes lines prefixed with the running target, secrets redacted.</summary>
    public IBuildLog Log => _log ?? throw new InvalidOperationException("Log is available once the build runs.");

    /// <summary>The directory holding <c>.nuke/</c>.</summary>
    public string RootDirectory => _root ?? throw new InvalidOperationException("RootDirectory is available once the build runs.");

    /// <summary>The environment the build runs in (the process's, or what a test hands the runner).</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment ?? throw new InvalidOperationException("Environment is available once the build runs.");

    /// <summary><c>.nuke/temp</c>: scratch space, git-ignored.</summary>
    public string TemporaryDirectory => Path.Combine(RootDirectory, ".nuke", "temp");

    internal void Attach(IBuildLog log, string root, IReadOnlyDictionary<string, string> environment)
    {
        _log = log;
        _root = root;
        _environment = environment;
    }

    /// <summary>
    /// Checks parameters after they are bound and before anything runs (not for <c>--help</c>).
    /// Throw <see cref="UsageException"/> with one line naming the problem and the fix.
    /// </summary>
    protected virtual void Validate()
    {
    }

    internal void RunValidation() => Validate();

    /// <summary>
    /// True when this run's standard output is for data only (a build's <c>--output json</c>): every log line, the progress
    /// line and the summary go to standard error, and standard output holds just what targets write with
    /// <see cref="IBuildLog.Data"/>. Read once, after the parameters are bound.
    /// </summary>
    protected virtual bool StandardOutputIsData => false;

    internal bool RunStandardOutputIsData() => StandardOutputIsData;

    /// <summary>
    /// Turns an exception thrown by a target, or by a check before any target runs, into what the user is shown: the one
    /// place a build maps its domain's exceptions to exit codes. Return a <see cref="UsageException"/>
    /// (exit code 2) or a <see cref="BuildFailedException"/> (exit code 1) to show just its one-line message;
    /// any other exception is shown as its type and message (and its stack trace with <c>--verbosity verbose</c>).
    /// </summary>
    protected virtual Exception Explain(Exception exception) => exception;

    internal Exception RunExplain(Exception exception)
    {
        try
        {
            return Explain(exception);
        }
        catch (Exception)
        {
            return exception;
        }
    }

    /// <summary>Runs once after the targets finished (also after failure or cancellation): release what targets opened.</summary>
    protected virtual ValueTask OnBuildFinishedAsync() => ValueTask.CompletedTask;

    internal ValueTask RunBuildFinishedAsync() => OnBuildFinishedAsync();

    /// <summary>The process entry point: <c>static Task&lt;int&gt; Main(string[] args) =&gt; Execute&lt;Build&gt;(args);</c>.</summary>
    /// <param name="defaultTarget">Runs when no target is named; without one, help is shown.</param>
    protected static Task<int> Execute<T>(string[] args, Expression<Func<T, Target>>? defaultTarget = null)
        where T : BuildBase, new()
    {
        var name = defaultTarget?.Body is MemberExpression m ? m.Member.Name : null;
        return BuildRunner.RunProcessAsync(new T(), args, name);
    }
}
