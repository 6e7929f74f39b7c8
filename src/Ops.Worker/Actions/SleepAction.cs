using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ops.Worker.Actions;

/// <summary><c>{"module":"ops.worker","class":"Sleep","arguments":{"ms":N}}</c>: waits N milliseconds and succeeds (tests, demos, benchmarks).</summary>
internal sealed class SleepAction(TimeProvider clock) : IWorkerAction
{
    /// <summary>The longest sleep accepted: 12 hours, SQS's longest visibility.</summary>
    public const long MaxMilliseconds = 12L * 60 * 60 * 1000;

    public string Module => "ops.worker";
    public string Class => "Sleep";

    public Task RunAsync(JsonObject arguments, WorkerActionContext context, CancellationToken cancellationToken)
    {
        if (arguments["ms"] is not JsonValue { } value || value.GetValueKind() != JsonValueKind.Number
            || !long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) || ms < 0 || ms > MaxMilliseconds)
            throw new WorkerActionException($"Sleep needs arguments.ms, a whole number of milliseconds from 0 to {MaxMilliseconds}, got {arguments["ms"]?.ToJsonString() ?? "nothing"}");
        return ms == 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(ms), clock, cancellationToken);
    }
}
