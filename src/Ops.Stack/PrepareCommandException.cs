namespace Ops.Stack;

/// <summary>A stack's prepare command could not start or failed; the message names it and the way out.</summary>
internal sealed class PrepareCommandException(string message) : Exception(message);
