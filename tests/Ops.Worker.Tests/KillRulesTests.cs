using System.Text.Json.Nodes;

namespace Ops.Worker.Tests;

/// <summary>The drain protocol's rules 1–5 as a worker takes them, first match wins (docs/drain-protocol.md).</summary>
public sealed class KillRulesTests
{
    static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    static readonly WorkerIdentity Me = new("0f3c", "arn:aws:ecs:us-east-1:123456789012:task/iotile-dev/0f3c", "iotile-worker-dev:7", Start);

    static KillMessage Kill(string arguments) =>
        KillMessage.From(WorkMessageParser.Parse($$"""{"module":"apps.sqsworker.worker","class":"WorkerShutDownAction","arguments":{{arguments}}}""", out _)!);

    static string Fields(string timestamp = "2026-11-23T10:05:00.000000+00:00", string task = "0f3c", string revision = "iotile-worker-dev:7",
        string expires = "2026-11-23T10:20:00.000000+00:00", JsonNode? anyTask = null) =>
        new JsonObject
        {
            ["any_task"] = anyTask,
            ["timestamp"] = timestamp,
            ["rollout_id"] = "r-20261123T100500Z-1a2b3c",
            ["target_task"] = task,
            ["target_revision"] = revision,
            ["expires_at"] = expires,
            ["ack_table"] = "iotile-rollouts-dev",
        }.ToJsonString();

    static KillVerdict Decide(string arguments, int minutesAfterStart = 6) => KillRules.Decide(Kill(arguments), Me, Start.AddMinutes(minutesAfterStart));

    [Fact]
    public void A_message_for_this_task_and_revision_drains_it() => Assert.Equal(KillVerdict.Mine, Decide(Fields()));

    [Fact]
    public void An_expired_message_is_deleted_whoever_it_names()
    {
        Assert.Equal(KillVerdict.Expired, Decide(Fields(), minutesAfterStart: 21));
        Assert.Equal(KillVerdict.Expired, Decide(Fields(task: "other", timestamp: "2026-11-23T09:00:00Z"), minutesAfterStart: 21));
    }

    [Fact]
    public void Another_task_or_revision_is_put_back()
    {
        Assert.Equal(KillVerdict.NotMine, Decide(Fields(task: "other")));
        Assert.Equal(KillVerdict.NotMine, Decide(Fields(revision: "iotile-worker-dev:6")));
    }

    [Fact]
    public void With_any_task_a_message_for_another_task_of_this_revision_drains_this_worker()
    {
        Assert.Equal(KillVerdict.Mine, Decide(Fields(task: "other", anyTask: true)));
        // never a worker of another revision, nor one that started after it was sent
        Assert.Equal(KillVerdict.NotMine, Decide(Fields(task: "other", revision: "iotile-worker-dev:8", anyTask: true)));
        Assert.Equal(KillVerdict.StalePutBack, Decide(Fields(task: "other", timestamp: "2026-11-23T09:59:59Z", anyTask: true)));
        Assert.Equal(KillVerdict.Expired, Decide(Fields(task: "other", anyTask: true), minutesAfterStart: 21));
        // only JSON true counts, and only with a revision to match
        Assert.Equal(KillVerdict.NotMine, Decide(Fields(task: "other", anyTask: "true")));
        Assert.Equal(KillVerdict.NotMine, Decide(Fields(task: "other", anyTask: 1)));
        var noRevision = JsonNode.Parse(Fields(task: "other", anyTask: true))!.AsObject();
        noRevision.Remove("target_revision");
        Assert.Equal(KillVerdict.NotMine, Decide(noRevision.ToJsonString()));
    }

    [Fact]
    public void A_message_sent_before_the_worker_started_is_stale()
    {
        Assert.Equal(KillVerdict.StaleDelete, Decide(Fields(timestamp: "2026-11-23T09:59:59Z")));
        Assert.Equal(KillVerdict.StalePutBack, Decide(Fields(timestamp: "2026-11-23T09:59:59Z", task: "other")));
        Assert.Equal(KillVerdict.StaleDelete, Decide("""{"timestamp":"2026-11-23T09:00:00Z","rollout_id":"r-1"}"""));
    }

    [Fact]
    public void The_old_shape_drains_only_when_sent_after_the_worker_started()
    {
        // The old invoke task's timestamp: utcnow().isoformat(), no offset.
        Assert.Equal(KillVerdict.OldDrain, Decide("""{"timestamp":"2026-11-23T10:05:00.123456"}"""));
        Assert.Equal(KillVerdict.OldBeforeStart, Decide("""{"timestamp":"2026-11-23T09:05:00.123456"}"""));
        Assert.Equal(KillVerdict.OldBeforeStart, Decide("""{}"""));
        Assert.Equal(KillVerdict.OldBeforeStart, Decide("""{"timestamp":"yesterday"}"""));
    }

    [Fact]
    public void A_worker_outside_ECS_answers_only_messages_that_name_no_target()
    {
        var host = new WorkerIdentity("build-host", null, "", Start);
        Assert.Equal(KillVerdict.NotMine, KillRules.Decide(Kill(Fields(task: "build-host")), host, Start.AddMinutes(6)));
        Assert.Equal(KillVerdict.Mine, KillRules.Decide(Kill("""{"timestamp":"2026-11-23T10:05:00Z","rollout_id":"r-1"}"""), host, Start.AddMinutes(6)));
    }

    [Fact]
    public void Timestamps_with_Z_or_an_offset_and_with_or_without_fractions_parse_as_UTC()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), Kill("""{"timestamp":"2026-11-23T10:00:00Z"}""").Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), Kill("""{"timestamp":"2026-11-23T10:00:00.000000+01:00"}""").Timestamp);
        Assert.Null(Kill("""{"rollout_id":"  "}""").RolloutId);
    }
}
