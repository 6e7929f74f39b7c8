using Amazon.Runtime;

namespace Ops.Aws.Runtime;

/// <summary>Carries one typed request shape through AWSSDK.Core's pipeline.</summary>
internal sealed class OperationRequest(AwsOperation operation, object input) : AmazonWebServiceRequest
{
    public AwsOperation Operation { get; } = operation;
    public object Input { get; } = input;
}

/// <summary>Carries one typed response shape back out of the pipeline.</summary>
internal sealed class OperationResponse<T> : AmazonWebServiceResponse
{
    public T? Value { get; set; }
}
