namespace Ops.Stack;

/// <summary>
/// The user's input is wrong (a stack file, a stage, a parameter): one line naming the problem and the fix.
/// The build turns it into exit code 2; it is always thrown before the first mutating call.
/// </summary>
public sealed class StackException(string message) : Exception(message);
