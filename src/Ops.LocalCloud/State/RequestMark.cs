namespace Ops.LocalCloud.State;

/// <summary>What one request changed: the newest state version its answer must wait for (0: nothing to wait for).</summary>
internal sealed class RequestMark
{
    public long Version { get; set; }
}
