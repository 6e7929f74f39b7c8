using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Services.Logs;

/// <summary>Task output from the process task runner (the awslogs driver's part): streams made ready, events appended.</summary>
internal sealed partial class LogsService : ITaskLogSink
{
    public void PrepareStream(string group, string stream, bool createGroup)
    {
        lock (Gate)
        {
            if (!State.Groups.TryGetValue(group, out var g))
            {
                if (!createGroup) throw NotFound("log group");
                g = State.Groups[group] = new LogGroup { Name = group, Created = DateTimeOffset.UtcNow };
            }
            g.Streams.TryAdd(stream, []);
            Persist();
        }
    }

    public void Append(string group, string stream, IReadOnlyList<(long Timestamp, string Message)> events)
    {
        lock (Gate)
        {
            var target = FindStream(FindGroup(group), stream);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var (timestamp, message) in events) target.Add(new LogEvent(timestamp, message, now));
            // Lines arrive in order; logs are a crash-tolerant change (awslogs itself may lose the last lines).
            PersistLazily();
        }
    }
}
