using System.Text.Json.Nodes;
using Ops.Contracts;
using Ops.Stack.Output;

namespace Ops.Stack.Rollout;

/// <summary>
/// The rollout result of docs/output.md: what a rollout target (shutdown-ecs-workers, update-ecs, teardown) left in the
/// rollout record, written on stdout with <c>--output json</c> whether the target succeeded or not.
/// </summary>
public static class RolloutResult
{
    /// <param name="target">The target that ran.</param>
    /// <param name="session">This run's rollout session; its last record is the result (none: nothing to roll).</param>
    /// <param name="succeeded">Whether the target succeeded.</param>
    public static JsonObject ToJson(string target, RolloutSession session, bool succeeded)
    {
        var record = session.Last;
        var json = ResultJson.Envelope("rollout", session.Context, succeeded);
        json["target"] = target;
        json["dry_run"] = session.Context.DryRun;
        json["rollout_id"] = record?.RolloutId;
        json["phase"] = record?.Phase;
        json["strategy"] = DrainStrategies.Name(record?.Strategy ?? session.Options.Strategy);
        json["forced"] = record?.Forced ?? session.Options.Force;
        json["from_task_definition"] = record?.FromTaskDefinition;
        json["to_task_definition"] = record?.ToTaskDefinition;
        json["image"] = record?.Image;
        json["started_at"] = ResultJson.Time(record?.StartedAt);
        json["drained_at"] = ResultJson.Time(record?.DrainedAt);
        json["update_called_at"] = ResultJson.Time(record?.UpdateCalledAt);
        json["finished_at"] = ResultJson.Time(record?.FinishedAt);
        json["cause"] = record?.Cause;
        json["tasks"] = new JsonArray((record?.Tasks ?? []).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode?)new JsonObject
        {
            ["task"] = t.Key,
            ["revision"] = t.Value.Revision,
            ["state"] = t.Value.State,
            ["kill_sent_at"] = ResultJson.Time(t.Value.KillSentAt),
            ["acked_at"] = ResultJson.Time(t.Value.AckedAt),
            ["ack_source"] = t.Value.AckSource,
        }).ToArray());
        return json;
    }
}
