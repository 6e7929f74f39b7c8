using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util.Internal;

namespace Ops.Aws.Runtime;

/// <summary>AWSSDK.Core client configuration for one service: region, endpoint, retries come from the SDK's own resolution.</summary>
internal sealed class AwsClientConfig : ClientConfig
{
    static readonly IDefaultConfiguration Standard = new DefaultConfiguration
    {
        Name = DefaultConfigurationMode.Standard,
        RetryMode = RequestRetryMode.Standard,
        S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
        ConnectTimeout = TimeSpan.FromMilliseconds(3100),
        TlsNegotiationTimeout = TimeSpan.FromMilliseconds(3100),
    };

    readonly string _userAgent;

    public AwsServiceInfo Service { get; }

    public AwsClientConfig(AwsServiceInfo service, AwsConnection connection)
        : base(new DefaultConfigurationProvider([Standard]))
    {
        Service = service;
        ServiceId = service.ServiceId;
        AuthenticationServiceName = service.SigningName;
        EndpointProvider = new AwsEndpointProvider(service);
        _userAgent = InternalSDKUtils.BuildUserAgentString(service.ServiceId, "1.0.0");
        RegionEndpoint = RegionEndpoint.GetBySystemName(connection.Region);
        // Global services (IAM, CloudFront) sign for us-east-1 and answer at one host, whatever region the stage is in.
        AuthenticationRegion = AwsEndpointProvider.IsGlobal(service) && !connection.Region.StartsWith("cn-", StringComparison.Ordinal)
            && !connection.Region.StartsWith("us-gov-", StringComparison.Ordinal)
            ? "us-east-1"
            : connection.Region;
        if (connection.EndpointUrl != null) ServiceURL = connection.EndpointUrl.ToString();
        if (connection.MaxAttempts is { } attempts) MaxErrorRetry = Math.Max(0, attempts - 1);
        if (connection.RetryMode is { } mode) RetryMode = mode;
        if (connection.Timeout is { } timeout) Timeout = timeout;
    }

    public override string RegionEndpointServiceName => Service.EndpointPrefix;
    public override string ServiceVersion => Service.ApiVersion;
    public override string UserAgent => _userAgent;

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
        EndpointProvider.ResolveEndpoint(AwsEndpointResolver.Map(this, parameters.AlternateEndpoint));
}

/// <summary>
/// Stands in for the generated rules-engine endpoint providers of the official packages:
/// ServiceURL (set or from AWS_ENDPOINT_URL[_SERVICE]) if any, else https://{prefix}[-fips].{region}.{dnsSuffix};
/// for the global services in the aws partition, their one host (https://iam.amazonaws.com, https://cloudfront.amazonaws.com).
/// </summary>
internal sealed class AwsEndpointProvider(AwsServiceInfo service) : IEndpointProvider
{
    public static bool IsGlobal(AwsServiceInfo service) => service.EndpointPrefix is "iam" or "cloudfront";

    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        if (parameters["Endpoint"] is string url && url.Length > 0) return new Endpoint(url);
        var region = parameters["Region"] as string
            ?? throw new AmazonClientException("No AWS region is configured: pass --region or set AWS_REGION.");
        var fips = parameters["UseFIPS"] is true;
        var dualStack = parameters["UseDualStack"] is true;
        var partition = Amazon.Runtime.Internal.Endpoints.StandardLibrary.Fn.Partition(region);
        if (IsGlobal(service) && partition.name == "aws" && !fips) return new Endpoint($"https://{service.EndpointPrefix}.amazonaws.com");
        var suffix = dualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
        return new Endpoint($"https://{service.EndpointPrefix}{(fips ? "-fips" : "")}.{region}.{suffix}");
    }
}

internal sealed class AwsEndpointResolver : BaseEndpointResolver
{
    internal static EndpointParameters Map(IClientConfig config, RegionEndpoint? alternate)
    {
        var p = new EndpointParameters();
        p["Region"] = alternate?.SystemName ?? config.RegionEndpoint?.SystemName ?? config.AuthenticationRegion;
        p["UseFIPS"] = config.UseFIPSEndpoint;
        p["UseDualStack"] = config.UseDualstackEndpoint;
        p["Endpoint"] = config.ServiceURL;
        return p;
    }

    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext) =>
        Map(requestContext.ClientConfig, requestContext.Request.AlternateEndpoint);
}

internal sealed class AwsAuthHandler : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}

internal sealed class AwsServiceMetadata(string serviceId) : IServiceMetadata
{
    public string ServiceId => serviceId;
    public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
}
