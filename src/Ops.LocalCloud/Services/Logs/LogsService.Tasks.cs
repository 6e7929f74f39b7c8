using Ops.LocalCloud.State;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Services.Logs;

/// <summary>Task output from the process task runner (the awslogs driver's part): streams made ready, events appended.</summary>
internal sealed partial class LogsService : ITaskLogSink
{
    /// <summary>
    /// Makes the task's stream ready (and its group, with awslogs-create-group). A new stream is written to the state log
    /// as a record, so a task start costs the same however many lines earlier tasks logged; a new group (rare) as a
    /// snapshot, which also gives a service that had none the document its records go into.
    /// </summary>
    public void PrepareStream(string group, string stream, bool createGroup)
    {
        lock (Gate)
        {
            if (!State.Groups.TryGetValue(group, out var g))
            {
                if (!createGroup) throw NotFound("log group");
                State.Groups[group] = new LogGroup { Name = group, Created = DateTimeOffset.UtcNow, Streams = { [stream] = [] } };
                Persist();
            }
            else if (g.Streams.TryAdd(stream, []))
                PersistRecord(new StateRecord(["Groups", group, "Streams", stream]), s => s.Groups.GetValueOrDefault(group)?.Streams.GetValueOrDefault(stream));
        }
    }

    /// <summary>
    /// Appends task output. Each event is written to the state log as a record of its own, so the cost of a line does not
    /// grow with the logs already kept (a snapshot of the whole service per flush did: a worker that logs every message
    /// made every later write slower). Lines arrive in order; logs are a crash-tolerant change (awslogs itself may lose
    /// the last lines), so they hold no answer back.
    /// </summary>
    public void Append(string group, string stream, IReadOnlyList<(long Timestamp, string Message)> events)
    {
        lock (Gate)
        {
            var target = FindStream(FindGroup(group), stream);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var (timestamp, message) in events)
            {
                var logEvent = new LogEvent(timestamp, message, now, NextEventId());
                target.Add(logEvent);
                PersistRecord(new StateRecord(["Groups", group, "Streams", stream, logEvent.Id!], "Id"), s => Kept(s, group, stream, logEvent), lazy: true);
            }
        }
    }

    /// <summary>The event if its stream still holds it when the record is written (from the end: a new event is the last).</summary>
    static LogEvent? Kept(LogsState state, string group, string stream, LogEvent logEvent) =>
        state.Groups.GetValueOrDefault(group)?.Streams.GetValueOrDefault(stream) is { } events && events.LastIndexOf(logEvent) >= 0 ? logEvent : null;
}
