namespace Ops.Worker;

/// <summary>
/// Sees every parsed message before it is dispatched to a handler, and may take it over: the seam where the drain protocol
/// (a kill/drain message, DRAIN-PROTOCOL.md) is answered. None is registered yet, so every message is work.
/// </summary>
internal interface IControlMessageHandler
{
    /// <summary>A decision when <paramref name="message"/> is a control message this handler answers; null to let it through as work.</summary>
    Task<ControlDecision?> TryHandleAsync(WorkMessage message, WorkerActionContext context, CancellationToken cancellationToken);
}
