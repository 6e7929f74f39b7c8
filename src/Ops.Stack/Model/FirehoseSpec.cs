namespace Ops.Stack.Model;

/// <summary>The stage's Kinesis Firehose stream: lands in the Firehose bucket, then COPY into the stream-timeseries Redshift cluster.</summary>
public sealed record FirehoseSpec
{
    /// <summary>The delivery stream name (<c>iotile-streamtimeseries-{stage}</c>).</summary>
    public required string Stream { get; init; }

    /// <summary>The Redshift table records are copied into (<c>stream_data</c>).</summary>
    public string Table { get; init; } = "stream_data";

    /// <summary>The IAM role Firehose assumes (<c>iotile-firehose-{stage}</c>), made by create-iam: its landing bucket only.</summary>
    public required string Role { get; init; }

    /// <summary>Seconds Firehose buffers before it writes (300).</summary>
    public int BufferSeconds { get; init; } = 300;
}
