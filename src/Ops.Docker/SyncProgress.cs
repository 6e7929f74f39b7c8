using Docker.DotNet.Models;

namespace Ops.Docker;

/// <summary>Calls back on the reporting thread, in order (Progress&lt;T&gt; posts to the thread pool and may reorder or run late).</summary>
internal sealed class SyncProgress(Action<JSONMessage> onReport) : IProgress<JSONMessage>
{
    public void Report(JSONMessage value) => onReport(value);
}
