namespace Ops.Stack.Rollout;

/// <summary>
/// Which pending tasks get a kill message now (pure: the drain loop asks on every poll). Kill messages say <c>any_task</c>:
/// a worker of the message's revision drains on whichever of the rollout's messages it receives first, and its
/// acknowledgement names the message it took. So a task's own message may be taken by another worker (the task is
/// "passed over"), while the message of a task that drained on another one stays in the queue for any worker of its
/// revision. A task is due when:
/// <list type="bullet">
/// <item>it has no message yet, or its message expired;</item>
/// <item>it was passed over, and its revision has fewer messages left in the queue than pending tasks;</item>
/// <item>it was passed over more than <c>grace</c> ago: an old worker takes only the message that names it.</item>
/// </list>
/// </summary>
public static class KillPlan
{
    /// <param name="tasks">Every task of the rollout by id.</param>
    /// <param name="taken">Kill message ids taken by an acknowledging worker, with when (its ack record's <c>acked_at</c>).</param>
    /// <param name="now">The drain loop's clock.</param>
    /// <param name="grace">How long a passed-over task waits on another task's message before it gets its own again.</param>
    public static IReadOnlyList<string> Due(IReadOnlyDictionary<string, TaskDrain> tasks, IReadOnlyDictionary<string, DateTimeOffset> taken,
        DateTimeOffset now, TimeSpan grace)
    {
        var due = new List<string>();
        foreach (var revision in tasks.GroupBy(t => t.Value.Revision))
        {
            var pending = revision.Where(t => !t.Value.IsDone).ToList();
            if (pending.Count == 0) continue;
            bool Live(TaskDrain t) => t.KillMessageId != null && !taken.ContainsKey(t.KillMessageId) && t.KillExpiresAt > now;
            var unsent = pending.Where(t => t.Value.KillMessageId == null || t.Value.KillExpiresAt <= now).Select(t => t.Key).ToList();
            var passedOver = pending
                .Where(t => t.Value.KillMessageId is { } id && taken.ContainsKey(id) && t.Value.KillExpiresAt > now)
                .OrderBy(t => taken[t.Value.KillMessageId!])
                .ToList();
            var left = revision.Count(t => Live(t.Value));
            var missing = Math.Max(0, pending.Count - left - unsent.Count);
            due.AddRange(unsent);
            for (var i = 0; i < passedOver.Count; i++)
                if (i < missing || now - taken[passedOver[i].Value.KillMessageId!] >= grace) due.Add(passedOver[i].Key);
        }
        return due;
    }
}
