namespace Ops.Stack.Model;

/// <summary>The stage's SQS queues: work (the workers consume it) and report.</summary>
public sealed record QueuesSpec(QueueSpec Work, QueueSpec Report);
