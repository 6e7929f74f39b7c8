namespace Ops.Targets;

/// <summary>Where targets write progress. Lines are prefixed with the running target's name and have secrets redacted.</summary>
public interface IBuildLog
{
    void Info(string message);
    void Warning(string message);
    void Error(string message);

    /// <summary>
    /// A target's machine-readable result (like <c>--output json</c>): written to standard output as given, unprefixed
    /// (secrets still redacted); the run's summary then goes to standard error so standard output stays parseable.
    /// </summary>
    void Data(string text);

    /// <summary>
    /// Hides <paramref name="secret"/> (a password read or generated at run time) as <c>****</c> in every line written
    /// from now on, by any target.
    /// </summary>
    void Redact(string secret);
}
