using System.Text.Json.Nodes;

namespace Ops.Worker;

/// <summary>
/// One kind of work, chosen by a message's <c>module</c> and <c>class</c>. Returning means success (the message is
/// deleted); throwing means failure (the message is left for redelivery and, after maxReceiveCount, the dead-letter queue).
/// </summary>
internal interface IWorkerAction
{
    /// <summary>The message's <c>module</c>, like "ops.worker".</summary>
    string Module { get; }

    /// <summary>The message's <c>class</c>, like "Sleep".</summary>
    string Class { get; }

    /// <summary>Does the work. The token is cancelled only when the process is being torn down, not on SIGTERM (the current message is finished).</summary>
    Task RunAsync(JsonObject arguments, WorkerActionContext context, CancellationToken cancellationToken);
}
