namespace Ops.Aws;

/// <summary>The global parameters that decide where Ops talks: --cloud, --endpoint-url, --region, --aws-profile, --aws-timeout.</summary>
/// <param name="Timeout">How long one HTTP request may go unanswered; null: the SDK's default (100 s).</param>
public sealed record AwsSettings(CloudKind Cloud, Uri? EndpointUrl, string Region, string? Profile, TimeSpan? Timeout = null);
