namespace Ops.Worker;

/// <summary>What a handler may want to know about the message it runs and the worker running it.</summary>
/// <param name="Stage">OPS_STAGE.</param>
/// <param name="MessageId">The SQS MessageId.</param>
/// <param name="ReceiveCount">ApproximateReceiveCount: 1 on first delivery.</param>
/// <param name="Server">This worker's task id (or host name).</param>
/// <param name="ReportQueue">OPS_REPORT_QUEUE, when set.</param>
internal sealed record WorkerActionContext(string Stage, string MessageId, int ReceiveCount, string Server, string? ReportQueue);
