using System.Globalization;
using System.Text.Json.Nodes;

namespace Ops.Contracts;

/// <summary>
/// The kill message of docs/drain-protocol.md: the original IOTile <c>WorkerShutDownAction</c> body (module, class,
/// arguments.timestamp) plus the fields new workers read. The rollout writes it with <see cref="Body"/>; the worker reads
/// the same field names.
/// </summary>
public static class KillMessageFormat
{
    public const string Module = "apps.sqsworker.worker";
    public const string Class = "WorkerShutDownAction";

    /// <summary>The worker-log <c>task</c> of a kill message and of the drain's <c>ShutDown-0</c> item: module.class.</summary>
    public const string Task = Module + "." + Class;

    public const string Timestamp = "timestamp";
    public const string RolloutId = "rollout_id";
    public const string TargetTask = "target_task";
    public const string TargetRevision = "target_revision";
    public const string ExpiresAt = "expires_at";
    public const string AckTable = "ack_table";

    /// <summary>
    /// True: any worker of <see cref="TargetRevision"/> that has not drained may take this message and drain, acknowledging
    /// with its own task id; <see cref="TargetTask"/> is then the task that needs it if no other does (old workers wait for theirs).
    /// </summary>
    public const string AnyTask = "any_task";

    /// <summary>Python's isoformat of a UTC time: 2026-11-23T10:00:00.000000+00:00.</summary>
    public static string IsoTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The JSON body sent to <paramref name="taskId"/> of <paramref name="revision"/> for rollout <paramref name="rolloutId"/>,
    /// which any other worker of that revision may take (<see cref="AnyTask"/>).
    /// </summary>
    public static string Body(string rolloutId, string taskId, string revision, DateTimeOffset sentAt, DateTimeOffset expiresAt, string ackTable) =>
        new JsonObject
        {
            ["module"] = Module,
            ["class"] = Class,
            ["arguments"] = new JsonObject
            {
                [Timestamp] = IsoTime(sentAt),
                [RolloutId] = rolloutId,
                [TargetTask] = taskId,
                [TargetRevision] = revision,
                [ExpiresAt] = IsoTime(expiresAt),
                [AckTable] = ackTable,
                [AnyTask] = true,
            },
        }.ToJsonString();
}
