using System.Globalization;
using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.Worker;

/// <summary>A kill message's fields (docs/drain-protocol.md): the original shutdown body plus the rollout's additions, each null when absent or
/// unreadable.</summary>
/// <param name="Timestamp">When the rollout sent it; the only field an old worker reads.</param>
/// <param name="RolloutId">The rollout asking; null marks the old shape (sent by the old invoke task).</param>
/// <param name="TargetTask">The task id the message is for.</param>
/// <param name="TargetRevision">That task's <c>Family:Revision</c>.</param>
/// <param name="ExpiresAt">After this the message is void.</param>
/// <param name="AckTable">The DynamoDB table the acknowledgement goes to.</param>
/// <param name="AnyTask">Any worker of <paramref name="TargetRevision"/> may take it (JSON <c>true</c> only).</param>
/// <param name="Arguments">The message's <c>arguments</c> as sent, for the worker-log item.</param>
internal sealed record KillMessage(
    DateTimeOffset? Timestamp, string? RolloutId, string? TargetTask, string? TargetRevision, DateTimeOffset? ExpiresAt, string? AckTable, JsonObject Arguments,
    bool AnyTask = false)
{
    /// <summary>True when <c>module</c> and <c>class</c> name the shutdown action.</summary>
    public static bool Is(WorkMessage message) => message.Module == KillMessageFormat.Module && message.Class == KillMessageFormat.Class;

    /// <summary>Reads the fields of a message <see cref="Is"/> accepted.</summary>
    public static KillMessage From(WorkMessage message)
    {
        var a = message.Arguments;
        return new KillMessage(Time(a, KillMessageFormat.Timestamp), Text(a, KillMessageFormat.RolloutId), Text(a, KillMessageFormat.TargetTask),
            Text(a, KillMessageFormat.TargetRevision), Time(a, KillMessageFormat.ExpiresAt), Text(a, KillMessageFormat.AckTable), a,
            a[KillMessageFormat.AnyTask] is JsonValue any && any.TryGetValue<bool>(out var yes) && yes);
    }

    /// <summary>True for the old invoke task's body: no rollout id.</summary>
    public bool IsOldShape => RolloutId == null;

    static string? Text(JsonObject o, string field) =>
        o[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s.Trim() : null;

    /// <summary>ISO 8601 with an offset, or without one (the old workers' <c>utcnow().isoformat()</c>), read as UTC.</summary>
    static DateTimeOffset? Time(JsonObject o, string field) =>
        Text(o, field) is { } s
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : null;
}
