using System.Globalization;
using System.Text.Json.Nodes;

namespace Ops.Stack.Rollout;

/// <summary>The kill message of docs/drain-protocol.md: the original IOTile WorkerShutDownAction body plus the fields new workers read.</summary>
public static class KillMessage
{
    public const string Module = "apps.sqsworker.worker";
    public const string Class = "WorkerShutDownAction";

    /// <summary>The worker-log <c>task</c> of a drain: module.class.</summary>
    public const string WorkerLogTask = Module + "." + Class;

    /// <summary>Python's isoformat of a UTC time: 2026-11-23T10:00:00.000000+00:00.</summary>
    public static string IsoTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>The JSON body sent to <paramref name="taskId"/> of <paramref name="revision"/> for rollout <paramref name="rolloutId"/>.</summary>
    public static string Body(string rolloutId, string taskId, string revision, DateTimeOffset sentAt, DateTimeOffset expiresAt, string ackTable) =>
        new JsonObject
        {
            ["module"] = Module,
            ["class"] = Class,
            ["arguments"] = new JsonObject
            {
                ["timestamp"] = IsoTime(sentAt), ["rollout_id"] = rolloutId, ["target_task"] = taskId, ["target_revision"] = revision,
                ["expires_at"] = IsoTime(expiresAt), ["ack_table"] = ackTable,
            },
        }.ToJsonString();
}
