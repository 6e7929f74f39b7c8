using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Ops.Contracts;

namespace Ops.Stack.Rollout;

/// <summary>
/// One rollout as stored in the rollout table (pk "rollout", sk "started_at#rollout_id"): its phase, strategy, task
/// definitions and every task's drain state. Written before each action it guards, so a re-run can resume it.
/// </summary>
public sealed class RolloutRecord
{
    /// <summary>The partition of rollout records.</summary>
    public const string Partition = "rollout";

    public required string RolloutId { get; init; }
    public required string Stage { get; init; }
    public required string Cluster { get; init; }
    public required string Service { get; init; }
    public required DrainStrategy Strategy { get; set; }
    public required string Phase { get; set; }
    public required string Holder { get; set; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Forced { get; set; }
    public string? FromTaskDefinition { get; set; }
    public string? ToTaskDefinition { get; set; }
    public string? Image { get; set; }
    public DateTimeOffset? DrainedAt { get; set; }
    public DateTimeOffset? UpdateCalledAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Cause { get; set; }
    public DateTimeOffset? LastTimeoutAt { get; set; }

    /// <summary>Task id → its drain.</summary>
    public Dictionary<string, TaskDrain> Tasks { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The sort key: started_at (ISO 8601) # rollout id, so the newest sorts last.</summary>
    public string SortKey => $"{Time(StartedAt)}#{RolloutId}";

    /// <summary>A new rollout id: r-yyyyMMddTHHmmssZ-6 hex digits.</summary>
    public static string NewId(DateTimeOffset now) =>
        $"r-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    /// <summary>UTC ISO 8601 ("O").</summary>
    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    static DateTimeOffset? ParseTime(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.S is { Length: > 0 } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;

    static string? Text(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) && v.S is { Length: > 0 } s ? s : null;

    /// <summary>The DynamoDB item.</summary>
    public Dictionary<string, AttributeValue> ToItem()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = Partition },
            ["sk"] = new() { S = SortKey },
            ["rollout_id"] = new() { S = RolloutId },
            ["stage"] = new() { S = Stage },
            ["cluster"] = new() { S = Cluster },
            ["service"] = new() { S = Service },
            ["strategy"] = new() { S = DrainStrategies.Name(Strategy) },
            ["phase"] = new() { S = Phase },
            ["holder"] = new() { S = Holder },
            ["started_at"] = new() { S = Time(StartedAt) },
            ["updated_at"] = new() { S = Time(UpdatedAt) },
            ["forced"] = new() { BOOL = Forced },
            ["tasks"] = new() { M = Tasks.ToDictionary(t => t.Key, t => new AttributeValue { M = TaskItem(t.Value) }) },
        };
        void Put(string name, string? value) { if (value != null) item[name] = new AttributeValue { S = value }; }
        Put("from_task_definition", FromTaskDefinition);
        Put("to_task_definition", ToTaskDefinition);
        Put("image", Image);
        Put("drained_at", DrainedAt is { } d ? Time(d) : null);
        Put("update_called_at", UpdateCalledAt is { } u ? Time(u) : null);
        Put("finished_at", FinishedAt is { } f ? Time(f) : null);
        Put("cause", Cause);
        Put("last_timeout_at", LastTimeoutAt is { } l ? Time(l) : null);
        return item;
    }

    static Dictionary<string, AttributeValue> TaskItem(TaskDrain t)
    {
        var item = new Dictionary<string, AttributeValue> { ["revision"] = new() { S = t.Revision }, ["state"] = new() { S = t.State } };
        void Put(string name, string? value) { if (value != null) item[name] = new AttributeValue { S = value }; }
        Put("kill_message_id", t.KillMessageId);
        Put("kill_sent_at", t.KillSentAt is { } s ? Time(s) : null);
        Put("kill_expires_at", t.KillExpiresAt is { } e ? Time(e) : null);
        Put("acked_at", t.AckedAt is { } a ? Time(a) : null);
        Put("ack_source", t.AckSource);
        Put("ack_item", t.AckItem);
        return item;
    }

    /// <summary>Reads a record item back (the inverse of <see cref="ToItem"/>).</summary>
    public static RolloutRecord FromItem(Dictionary<string, AttributeValue> item)
    {
        var tasks = new Dictionary<string, TaskDrain>(StringComparer.Ordinal);
        if (item.TryGetValue("tasks", out var m) && m.M != null)
            foreach (var (id, value) in m.M)
            {
                var t = value.M ?? [];
                tasks[id] = new TaskDrain
                {
                    Revision = Text(t, "revision") ?? "",
                    State = Text(t, "state") ?? TaskDrainState.Pending,
                    KillMessageId = Text(t, "kill_message_id"),
                    KillSentAt = ParseTime(t, "kill_sent_at"),
                    KillExpiresAt = ParseTime(t, "kill_expires_at"),
                    AckedAt = ParseTime(t, "acked_at"),
                    AckSource = Text(t, "ack_source"),
                    AckItem = Text(t, "ack_item"),
                };
            }
        return new RolloutRecord
        {
            RolloutId = Text(item, "rollout_id") ?? "",
            Stage = Text(item, "stage") ?? "",
            Cluster = Text(item, "cluster") ?? "",
            Service = Text(item, "service") ?? "",
            Strategy = DrainStrategies.TryParse(Text(item, "strategy"), out var strategy) ? strategy : DrainStrategy.KillAck,
            Phase = Text(item, "phase") ?? "",
            Holder = Text(item, "holder") ?? "",
            StartedAt = ParseTime(item, "started_at") ?? DateTimeOffset.MinValue,
            UpdatedAt = ParseTime(item, "updated_at") ?? DateTimeOffset.MinValue,
            Forced = item.TryGetValue("forced", out var f) && f.BOOL == true,
            FromTaskDefinition = Text(item, "from_task_definition"),
            ToTaskDefinition = Text(item, "to_task_definition"),
            Image = Text(item, "image"),
            DrainedAt = ParseTime(item, "drained_at"),
            UpdateCalledAt = ParseTime(item, "update_called_at"),
            FinishedAt = ParseTime(item, "finished_at"),
            Cause = Text(item, "cause"),
            LastTimeoutAt = ParseTime(item, "last_timeout_at"),
            Tasks = tasks,
        };
    }
}
