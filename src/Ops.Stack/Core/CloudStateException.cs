namespace Ops.Stack.Core;

/// <summary>The cloud is not in a state the operation can work with (no image pushed, a wait timed out): exit 1, with the reason and the way out.</summary>
public sealed class CloudStateException(string message) : Exception(message);
