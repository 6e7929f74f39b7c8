namespace Ops.Targets;

/// <summary>The build's own declarations are wrong (a cycle, an unsupported parameter type): a bug for the build's author, exit code 1.</summary>
public sealed class BuildDefinitionException(string message, Exception? inner = null) : Exception(message, inner);
