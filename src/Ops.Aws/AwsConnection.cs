using Amazon.Runtime;

namespace Ops.Aws;

/// <summary>Where and as whom every client talks: credentials, region, an optional endpoint, and retry limits.</summary>
public sealed record AwsConnection
{
    public required AWSCredentials Credentials { get; init; }

    /// <summary>The region used for signing and, without <see cref="EndpointUrl"/>, for AWS's regional endpoints.</summary>
    public required string Region { get; init; }

    /// <summary>An AWS-compatible endpoint for every service (LocalCloud, moto). Null: AWS, or AWS_ENDPOINT_URL[_SERVICE] when set.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Total attempts per call including the first. Null: AWSSDK.Core's default (AWS_MAX_ATTEMPTS, config file, 3).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Standard or adaptive retries. Null: AWSSDK.Core's default (AWS_RETRY_MODE, config file, standard).</summary>
    public RequestRetryMode? RetryMode { get; init; }

    /// <summary>
    /// The endpoint is an Ops local cloud: the embedded one, or one reached by URL that answers
    /// <see cref="Ops.Contracts.LocalCloudProbe"/>. False for AWS and for other emulators (moto, LocalStack).
    /// </summary>
    public bool IsOpsLocalCloud { get; init; }

    /// <summary>Per-HTTP-request timeout. Null: the SDK's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>What to tell a user about this connection (no secrets).</summary>
    public override string ToString() =>
        $"{(EndpointUrl != null ? EndpointUrl.ToString() : "AWS")} in {Region}";
}
