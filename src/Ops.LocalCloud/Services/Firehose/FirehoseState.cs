namespace Ops.LocalCloud.Services.Firehose;

/// <summary>Everything Firehose keeps (the <c>firehose.json</c> state file): delivery streams by name.</summary>
internal sealed class FirehoseState
{
    public SortedDictionary<string, FirehoseStream> Streams { get; set; } = new(StringComparer.Ordinal);
}
