namespace Ops.Stack;

/// <summary>Where domain operations report progress (the build adapts its log to it; tests capture it).</summary>
public interface IStackLog
{
    void Info(string message);
    void Warning(string message);

    /// <summary>A machine-readable result (JSON), written unprefixed to stdout so it can be piped.</summary>
    void Data(string text);

    /// <summary>Hides a secret value (a password read from or generated for SSM) in every later line of output.</summary>
    void Redact(string secret);
}
