namespace Ops.Stack.Rollout;

/// <summary>Decides which pending tasks the acknowledgements seen so far drain (pure: the drain loop calls it on every poll).</summary>
public static class AckAttribution
{
    /// <summary>
    /// The acknowledgements of <paramref name="pending"/> (oldest kill first): an ack record of the task; a worker-log item whose
    /// server is the task; then each worker-log item whose server is none of <paramref name="serviceTasks"/> and not yet
    /// <paramref name="usedItems"/> covers the oldest still-pending task (an old worker that does not know its task id).
    /// </summary>
    public static IReadOnlyList<Acknowledgement> Attribute(
        IReadOnlyList<string> pending, IReadOnlySet<string> serviceTasks, IReadOnlySet<string> usedItems,
        IEnumerable<AckSeen> acks, IEnumerable<ShutDownSeen> items)
    {
        var left = pending.ToList();
        var found = new List<Acknowledgement>();
        foreach (var ack in acks.OrderBy(a => a.AckedAt))
            if (left.Remove(ack.TaskId)) found.Add(new Acknowledgement(ack.TaskId, "ack-record", ack.AckedAt));
        var ordered = items.Where(i => !usedItems.Contains(i.Key)).OrderBy(i => i.At).ToList();
        foreach (var item in ordered.Where(i => i.Server != null && serviceTasks.Contains(i.Server)))
            if (left.Remove(item.Server!)) found.Add(new Acknowledgement(item.Server!, "worker-log", item.At, item.Key, Server: item.Server));
        foreach (var item in ordered.Where(i => i.Server == null || !serviceTasks.Contains(i.Server)))
        {
            if (left.Count == 0) break;
            var task = left[0];
            left.RemoveAt(0);
            found.Add(new Acknowledgement(task, "worker-log", item.At, item.Key, Legacy: true, Server: item.Server));
        }
        return found;
    }
}
