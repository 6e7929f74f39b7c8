using System.Globalization;
using Ops.Contracts;

namespace Ops.Worker;

/// <summary>
/// UTC timestamps in PynamoDB's UTCDateTimeAttribute format (<c>yyyy-MM-ddTHH:mm:ss.ffffff+0000</c>), strictly increasing
/// within this worker, so two messages started in the same microsecond still get distinct worker-log keys.
/// </summary>
internal sealed class WorkerTimestamps(TimeProvider clock)
{
    readonly object _lock = new();
    long _lastTicks;

    public string Next()
    {
        long ticks;
        lock (_lock)
        {
            const long microsecond = TimeSpan.TicksPerMillisecond / 1000;
            ticks = clock.GetUtcNow().UtcTicks / microsecond * microsecond;
            if (ticks <= _lastTicks) ticks = _lastTicks + microsecond;
            _lastTicks = ticks;
        }
        return new DateTime(ticks, DateTimeKind.Utc).ToString(WorkerLogFormat.TimeFormat, CultureInfo.InvariantCulture);
    }
}
