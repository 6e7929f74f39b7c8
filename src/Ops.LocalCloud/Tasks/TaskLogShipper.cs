using System.Threading.Channels;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// Ships one container's output lines to its CloudWatch Logs stream in batches (up to 1,000 events or 200 ms), off the
/// process's path: adding a line never waits. <see cref="CompleteAsync"/> ships what is left.
/// </summary>
internal sealed class TaskLogShipper
{
    readonly Channel<(long, string)> _lines = Channel.CreateUnbounded<(long, string)>(new UnboundedChannelOptions { SingleReader = true });
    readonly ITaskLogSink _sink;
    readonly string _group;
    readonly string _stream;
    readonly TimeProvider _clock;
    readonly Task _loop;

    public TaskLogShipper(ITaskLogSink sink, string group, string stream, TimeProvider clock)
    {
        (_sink, _group, _stream, _clock) = (sink, group, stream, clock);
        _loop = Task.Run(ShipAsync);
    }

    public void Add(string line) => _lines.Writer.TryWrite((_clock.GetUtcNow().ToUnixTimeMilliseconds(), line));

    public async Task CompleteAsync()
    {
        _lines.Writer.TryComplete();
        await _loop;
    }

    async Task ShipAsync()
    {
        var batch = new List<(long, string)>();
        while (await _lines.Reader.WaitToReadAsync())
        {
            await Task.Delay(200); // let a burst gather into one batch
            while (batch.Count < 1000 && _lines.Reader.TryRead(out var line)) batch.Add(line);
            try
            {
                _sink.Append(_group, _stream, batch);
            }
            catch (AwsError)
            {
                // The group or stream was deleted under the running task: its output is dropped, as awslogs drops it.
            }
            batch.Clear();
        }
    }
}
