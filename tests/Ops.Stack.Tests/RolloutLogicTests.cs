using System.Text.Json.Nodes;
using Ops.Contracts;
using Ops.Stack.Rollout;

namespace Ops.Stack.Tests;

/// <summary>The rollout's pure logic: ack attribution, resume decisions, the kill message body, the record's round trip.</summary>
public sealed class RolloutLogicTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ack_records_and_named_worker_log_items_acknowledge_their_task_and_an_unnamed_item_covers_the_oldest_pending_one()
    {
        var acks = AckAttribution.Attribute(
            ["a", "b", "c"], new HashSet<string> { "a", "b", "c", "old" }, new HashSet<string>(),
            [new AckSeen("b", T0.AddSeconds(2)), new AckSeen("zzz", T0)],
            [new ShutDownSeen("u1", "t1", "ip-10-0-0-1", T0.AddSeconds(3)), new ShutDownSeen("u2", "t2", "c", T0.AddSeconds(1))]);
        Assert.Equal(3, acks.Count);
        Assert.Contains(acks, a => a is { TaskId: "b", Source: "ack-record", Legacy: false });
        Assert.Contains(acks, a => a is { TaskId: "c", Source: "worker-log", Legacy: false, Item: "u2#t2" });
        Assert.Contains(acks, a => a is { TaskId: "a", Source: "worker-log", Legacy: true, Server: "ip-10-0-0-1" });
    }

    [Fact]
    public void A_used_worker_log_item_never_covers_a_second_task_and_items_for_drained_tasks_are_ignored()
    {
        var acks = AckAttribution.Attribute(
            ["b"], new HashSet<string> { "a", "b" }, new HashSet<string> { "u1#t1" }, [],
            [new ShutDownSeen("u1", "t1", "host", T0), new ShutDownSeen("u2", "t2", "a", T0)]);
        Assert.Empty(acks);
    }

    [Theory]
    [InlineData(null, "Start")]
    [InlineData("completed", "Start")]
    [InlineData("rolled-back", "Start")]
    [InlineData("draining", "ContinueDrain")]
    [InlineData("drained", "PastDrain")]
    [InlineData("updating", "PastDrain")]
    [InlineData("rolling-back", "PastDrain")]
    public void Drain_resumes_only_a_draining_record(string? phase, string expected) =>
        Assert.Equal(expected, ResumePlan.ForDrain(phase == null ? null : Record(phase)).ToString());

    [Theory]
    [InlineData(null, "kill-ack", false, "RefuseNotDrained")]
    [InlineData(null, "kill-ack", true, "Start")]
    [InlineData(null, "task-protection", false, "Start")]
    [InlineData("completed", "kill-ack", false, "RefuseNotDrained")]
    [InlineData("draining", "kill-ack", false, "RefuseNotDrained")]
    [InlineData("draining", "kill-ack", true, "Update")]
    [InlineData("drained", "kill-ack", false, "Update")]
    [InlineData("updating", "kill-ack", false, "ContinueUpdate")]
    [InlineData("rolling-back", "kill-ack", false, "FinishRollback")]
    public void Update_refuses_without_a_drained_record_and_resumes_later_phases(string? phase, string strategy, bool force, string expected) =>
        Assert.Equal(expected, ResumePlan.ForUpdate(phase == null ? null : Record(phase), DrainStrategies.Parse(strategy), force).ToString());

    [Fact]
    public void Kill_message_has_the_original_shape_and_the_new_fields()
    {
        var body = JsonNode.Parse(KillMessageFormat.Body("r-1", "task1", "iotile-worker-dev:7", T0, T0.AddMinutes(15), "iotile-rollouts-dev"))!;
        Assert.Equal("apps.sqsworker.worker", body["module"]!.ToString());
        Assert.Equal("WorkerShutDownAction", body["class"]!.ToString());
        var args = body["arguments"]!;
        Assert.Equal("2026-11-23T10:00:00.000000+00:00", args["timestamp"]!.ToString());
        Assert.Equal("2026-11-23T10:15:00.000000+00:00", args["expires_at"]!.ToString());
        Assert.Equal("r-1", args["rollout_id"]!.ToString());
        Assert.Equal("task1", args["target_task"]!.ToString());
        Assert.Equal("iotile-worker-dev:7", args["target_revision"]!.ToString());
        Assert.Equal("iotile-rollouts-dev", args["ack_table"]!.ToString());
    }

    [Fact]
    public void Record_round_trips_through_its_item()
    {
        var record = Record("draining");
        record.Forced = true;
        record.FromTaskDefinition = "arn:aws:ecs:us-east-1:1:task-definition/f:1";
        record.LastTimeoutAt = T0.AddMinutes(15);
        record.Tasks["t1"] = new TaskDrain { Revision = "f:1", State = TaskDrainState.Acknowledged, KillMessageId = "m1", KillSentAt = T0, AckedAt = T0.AddSeconds(3),
            AckSource = "ack-record" };
        var back = RolloutRecord.FromItem(record.ToItem());
        Assert.Equal(record.SortKey, back.SortKey);
        Assert.True(back.Forced);
        Assert.Equal(record.FromTaskDefinition, back.FromTaskDefinition);
        Assert.Equal(record.LastTimeoutAt, back.LastTimeoutAt);
        Assert.Equal("acknowledged", back.Tasks["t1"].State);
        Assert.Equal(T0.AddSeconds(3), back.Tasks["t1"].AckedAt);
        Assert.Equal("m1", back.Tasks["t1"].KillMessageId);
        Assert.Matches("^r-\\d{8}T\\d{6}Z-[0-9a-f]{6}$", RolloutRecord.NewId(T0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(6, 3)]
    [InlineData(10, 5)]
    [InlineData(1000, 200)]
    public void The_failure_threshold_is_the_breakers_or_all_tasks(int desired, int threshold) =>
        Assert.Equal(threshold, WorkerUpdater.FailureThreshold(desired));

    static RolloutRecord Record(string phase) => new()
    {
        RolloutId = "r-20261123T100000Z-abcdef",
        Stage = "dev",
        Cluster = "c",
        Service = "s",
        Strategy = DrainStrategy.KillAck,
        Phase = phase,
        Holder = "me",
        StartedAt = T0,
    };
}
