namespace Ops.Worker;

/// <summary>A handler's expected failure: its message becomes the worker-log status <c>error: message</c>.</summary>
internal sealed class WorkerActionException(string message) : Exception(message);
