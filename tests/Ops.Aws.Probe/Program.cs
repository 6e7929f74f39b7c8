using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.Ecs;

// Usage: Ops.Aws.Probe <endpoint-url>. Calls ECS ListClusters with no attempt limit of its own, prints the outcome.
var connection = new AwsConnection
{
    Credentials = new BasicAWSCredentials("test", "test"),
    Region = "us-east-1",
    EndpointUrl = new Uri(args[0]),
};
try
{
    var result = await new EcsClient(connection).ListClustersAsync();
    Console.WriteLine($"ok {result.ClusterArns?.Count ?? 0}");
    return 0;
}
catch (AmazonServiceException e)
{
    Console.WriteLine($"error {e.ErrorCode}");
    return 1;
}
