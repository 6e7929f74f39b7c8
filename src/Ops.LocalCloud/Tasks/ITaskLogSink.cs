namespace Ops.LocalCloud.Tasks;

/// <summary>Where task output goes: CloudWatch Logs of this local cloud (implemented by the Logs service).</summary>
internal interface ITaskLogSink
{
    /// <summary>Makes sure the stream exists (and the group, when <paramref name="createGroup"/>); throws <see cref="AwsError"/> when the group is
    /// missing.</summary>
    void PrepareStream(string group, string stream, bool createGroup);

    /// <summary>Appends events (timestamp in ms since the epoch, message) to a stream made ready by <see cref="PrepareStream"/>.</summary>
    void Append(string group, string stream, IReadOnlyList<(long Timestamp, string Message)> events);
}
