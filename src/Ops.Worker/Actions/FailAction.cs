using System.Text.Json.Nodes;

namespace Ops.Worker.Actions;

/// <summary><c>{"module":"ops.worker","class":"Fail","arguments":{"message":"..."}}</c>: fails, so the message goes the way of failed work (redelivery, then
/// the dead-letter queue).</summary>
internal sealed class FailAction : IWorkerAction
{
    public string Module => "ops.worker";
    public string Class => "Fail";

    public Task RunAsync(JsonObject arguments, WorkerActionContext context, CancellationToken cancellationToken)
    {
        var message = arguments["message"] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 ? text : "failed as asked (ops.worker.Fail)";
        throw new WorkerActionException(message);
    }
}
