namespace Ops.Targets;

/// <summary>Where targets write progress. Lines are prefixed with the running target's name and have secrets redacted.</summary>
public interface IBuildLog
{
    void Info(string message);
    void Warning(string message);
    void Error(string message);
}
