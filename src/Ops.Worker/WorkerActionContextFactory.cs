namespace Ops.Worker;

/// <summary>Makes the <see cref="WorkerActionContext"/> of each message from what is fixed for this worker.</summary>
internal sealed record WorkerActionContextFactory(string Stage, string Server, string? ReportQueue)
{
    public WorkerActionContext Create(string messageId, int receiveCount) => new(Stage, messageId, receiveCount, Server, ReportQueue);
}
