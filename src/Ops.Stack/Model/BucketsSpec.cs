namespace Ops.Stack.Model;

/// <summary>The stage's S3 buckets: all encrypted, public access blocked (the statics bucket is read through its distribution).</summary>
public sealed record BucketsSpec
{
    /// <summary>Web statics (<c>iotile-statics-{stage}</c>).</summary>
    public required string Statics { get; init; }

    /// <summary>User uploads, expired after <see cref="UploadsExpiryDays"/> (<c>iotile-uploads-{stage}</c>).</summary>
    public required string Uploads { get; init; }

    /// <summary>Days after which an upload is deleted by the bucket's lifecycle rule (30).</summary>
    public int UploadsExpiryDays { get; init; } = 30;

    /// <summary>Where Firehose lands records before loading Redshift (<c>iotile-firehose-{stage}</c>).</summary>
    public required string Firehose { get; init; }
}
