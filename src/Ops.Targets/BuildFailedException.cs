namespace Ops.Targets;

/// <summary>A failure whose message already names what went wrong and the way out: shown as that one line (no type, no stack trace) and exit code 1.</summary>
public sealed class BuildFailedException(string message, Exception? innerException = null) : Exception(message, innerException);
