using Ops.Stack.Rollout;

namespace Ops.Stack.Tests;

/// <summary>Which tasks get a kill message, now that any worker of a revision may take any of its messages (KillPlan).</summary>
public sealed class KillPlanTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    static TaskDrain Task(string? message, string revision = "w:1", string state = TaskDrainState.Pending, int expiresIn = 600) => new()
    {
        Revision = revision,
        State = state,
        KillMessageId = message,
        KillSentAt = message == null ? null : T0,
        KillExpiresAt = message == null ? null : T0.AddSeconds(expiresIn),
    };

    static IReadOnlyList<string> Due(Dictionary<string, TaskDrain> tasks, Dictionary<string, DateTimeOffset>? taken = null, int secondsLater = 1) =>
        KillPlan.Due(tasks, taken ?? [], T0.AddSeconds(secondsLater), Grace);

    [Fact]
    public void Every_task_without_a_message_or_with_an_expired_one_is_due()
    {
        var tasks = new Dictionary<string, TaskDrain> { ["a"] = Task(null), ["b"] = Task("mb", expiresIn: 1), ["c"] = Task("mc"),
            ["d"] = Task(null, state: TaskDrainState.Acknowledged) };
        Assert.Equal(["a", "b"], Due(tasks).Order());
    }

    [Fact]
    public void A_task_passed_over_waits_while_its_revision_has_a_message_left_for_each_pending_task()
    {
        // b drained on a's message: a is pending, b's own message is still in the queue for any worker of w:1.
        var tasks = new Dictionary<string, TaskDrain> { ["a"] = Task("ma"), ["b"] = Task("mb", state: TaskDrainState.Acknowledged) };
        Assert.Empty(Due(tasks, new() { ["ma"] = T0.AddSeconds(1) }, secondsLater: 2));
        // ...until the grace is over: an old worker takes only the message that names it.
        Assert.Equal(["a"], Due(tasks, new() { ["ma"] = T0.AddSeconds(1) }, secondsLater: 11));
    }

    [Fact]
    public void A_task_passed_over_gets_another_message_at_once_when_too_few_are_left()
    {
        // b drained on a's message, c on b's, and another worker took e's: a and e were passed over.
        var tasks = new Dictionary<string, TaskDrain>
        {
            ["a"] = Task("ma"),
            ["b"] = Task("mb", state: TaskDrainState.Acknowledged),
            ["c"] = Task("mc", state: TaskDrainState.Acknowledged),
            ["d"] = Task("md"),
            ["e"] = Task("me"),
        };
        var taken = new Dictionary<string, DateTimeOffset> { ["ma"] = T0.AddSeconds(1), ["mb"] = T0.AddSeconds(1), ["me"] = T0.AddSeconds(2) };
        // pending a, d, e (3); left in the queue: mc, md (2): the one passed over first gets another now, the other waits.
        Assert.Equal(["a"], Due(tasks, taken, secondsLater: 3));
        Assert.Equal(["a", "e"], Due(tasks, taken, secondsLater: 12).Order());
    }

    [Fact]
    public void Messages_count_only_for_their_own_revision()
    {
        // a (w:1) was passed over; the message left is of w:2, which a worker of w:1 never takes.
        var tasks = new Dictionary<string, TaskDrain>
        {
            ["a"] = Task("ma"),
            ["x"] = Task("mx", revision: "w:2", state: TaskDrainState.Acknowledged),
            ["y"] = Task("my", revision: "w:2", state: TaskDrainState.Stopped),
        };
        Assert.Equal(["a"], Due(tasks, new() { ["ma"] = T0.AddSeconds(1), ["mx"] = T0.AddSeconds(1) }, secondsLater: 2));
    }

    [Fact]
    public void Nothing_is_due_when_every_task_is_done_or_holds_a_live_message()
    {
        var tasks = new Dictionary<string, TaskDrain> { ["a"] = Task("ma"), ["b"] = Task("mb", state: TaskDrainState.Forced) };
        Assert.Empty(Due(tasks));
        Assert.Empty(Due(tasks, new() { ["mb"] = T0 }));
    }
}
