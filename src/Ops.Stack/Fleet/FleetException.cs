namespace Ops.Stack.Fleet;

/// <summary>The cloud is not in a state the operation can work with (no image pushed, a wait timed out): exit 1, with the reason and the way out.</summary>
public sealed class FleetException(string message) : Exception(message);
