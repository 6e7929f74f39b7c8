namespace Ops.Worker;

/// <summary>
/// Sees every parsed message before it is dispatched to a handler, and may take it over: a control message gets no
/// worker-log item of its own and is never counted as work (the drain protocol's kill messages, <see cref="KillMessageHandler"/>).
/// </summary>
internal interface IControlMessageHandler
{
    /// <summary>A decision when <paramref name="message"/> is a control message this handler answers; null to let it through as work.</summary>
    ControlDecision? TryHandle(WorkMessage message, string messageId);
}
