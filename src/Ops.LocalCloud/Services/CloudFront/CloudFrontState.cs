namespace Ops.LocalCloud.Services.CloudFront;

/// <summary>Everything CloudFront keeps (the <c>cloudfront.json</c> state file): invalidations by distribution id, oldest first.</summary>
internal sealed class CloudFrontState
{
    public Dictionary<string, List<CloudFrontInvalidation>> Distributions { get; set; } = new();
}
