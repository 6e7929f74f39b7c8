using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Ops.Aws;

namespace Ops.Worker;

/// <summary>The worker's <see cref="AwsConnection"/>: region and endpoint from its settings, credentials from the SDK's default chain (env keys; on ECS the
/// task role).</summary>
internal static class WorkerConnection
{
    public static AwsConnection Create(WorkerConfig config, WorkerIdentity identity)
    {
        var region = config.Region ?? identity.Region
            ?? throw new WorkerConfigException("AWS_REGION is not set and this is not an ECS task whose ARN names one; set AWS_REGION to the queue's region, like us-east-1.");
        AWSCredentials credentials;
        try
        {
            credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException)
        {
            throw new WorkerConfigException(
                "No AWS credentials found (tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, web identity, and container and instance metadata); " +
                "give the ECS task a task role, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }
        return new AwsConnection { Credentials = credentials, Region = region, EndpointUrl = config.EndpointUrl };
    }
}
