using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Ops.Aws.Runtime;

/// <summary>
/// The generic client every generated service client derives from. Signing, credentials, retries,
/// endpoints and timeouts are AWSSDK.Core's; this class only marshals shapes for the service's protocol.
/// </summary>
public abstract class AwsClient : AmazonServiceClient
{
    readonly AwsServiceInfo _service;
    readonly OperationMarshaller _marshaller;
    readonly AwsConnection _connection;

    protected AwsClient(AwsConnection connection, AwsServiceInfo service)
        : base(connection.Credentials, new AwsClientConfig(service, connection))
    {
        _service = service;
        _marshaller = new OperationMarshaller(service);
        _connection = connection;
    }

    protected override IServiceMetadata ServiceMetadata => new AwsServiceMetadata(_service.ServiceId);

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new AwsEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new AwsAuthHandler());
        if (Config.RetryMode == RequestRetryMode.Standard) pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new FailFastRetryPolicy(Config)));
    }

    /// <summary>
    /// Calls one operation. Service errors surface as <see cref="AmazonServiceException"/> with the wire ErrorCode and StatusCode;
    /// no answer (refused, DNS, timeout) and expired or rejected credentials as <see cref="AwsConnectionException"/>.
    /// </summary>
    protected async Task<TResponse> InvokeAsync<TRequest, TResponse>(AwsOperation operation, TRequest request, CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : notnull, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new InvokeOptions
        {
            RequestMarshaller = _marshaller,
            ResponseUnmarshaller = _service.Protocol == AwsProtocol.Json
                ? JsonOperationUnmarshaller<TResponse>.Instance
                : new XmlOperationUnmarshaller<TResponse>(_service, operation),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var response = await InvokeAsync<OperationResponse<TResponse>>(new OperationRequest(operation, request), options,
                cancellationToken).ConfigureAwait(false);
            return response.Value ?? new TResponse();
        }
        catch (Exception e) when (ConnectionFailure.Translate(e, $"{_service.ServiceId} {operation.Name}", Endpoint(), _connection.Timeout, clock.Elapsed, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Where calls go, for messages: the configured endpoint, or AWS's regional one.</summary>
    string Endpoint()
    {
        try
        {
            return new AwsEndpointProvider(_service).ResolveEndpoint(AwsEndpointResolver.Map(Config, null)).URL;
        }
        catch (AmazonClientException)
        {
            return _connection.EndpointUrl?.ToString() ?? $"AWS ({_service.ServiceId})";
        }
    }
}
