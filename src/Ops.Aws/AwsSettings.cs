namespace Ops.Aws;

/// <summary>The global parameters that decide where Ops talks: --cloud, --endpoint-url, --region, --aws-profile.</summary>
public sealed record AwsSettings(CloudKind Cloud, Uri? EndpointUrl, string Region, string? Profile);
