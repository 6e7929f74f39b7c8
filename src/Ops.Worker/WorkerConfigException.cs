namespace Ops.Worker;

/// <summary>The worker's environment is missing or has a bad setting: the message names the variable and the fix (exit 2).</summary>
internal sealed class WorkerConfigException(string message) : Exception(message);
