using Amazon.Runtime;

namespace Ops.Aws.Tests;

/// <summary>Retries come from AWSSDK.Core: throttling and 5xx are retried up to the attempt limit, a modeled 4xx is not.</summary>
public class RetryTests
{
    static readonly ScriptedEndpoint.Reply Ok = new(200, """{"clusterArns":["arn:aws:ecs:us-east-1:123456789012:cluster/a"]}""", "application/x-amz-json-1.1");

    static ScriptedEndpoint.Reply JsonError(int status, string code) =>
        new(status, $$"""{"__type":"com.amazonaws.ecs#{{code}}","message":"{{code}} from the test endpoint"}""", "application/x-amz-json-1.1");

    [Theory]
    [InlineData(400, "ThrottlingException")]
    [InlineData(503, "ServiceUnavailableException")]
    [InlineData(500, "ServerException")]
    public async Task Transient_failures_are_retried_until_success(int status, string code)
    {
        using var endpoint = new ScriptedEndpoint((_, n) => n <= 2 ? JsonError(status, code) : Ok);
        var result = await new Ecs.EcsClient(endpoint.Connection(maxAttempts: 3)).ListClustersAsync();
        Assert.Single(result.ClusterArns!);
        Assert.Equal(3, endpoint.Requests.Count);
    }

    [Fact]
    public async Task Adaptive_mode_retries_transient_server_errors()
    {
        // Not throttling: AWSSDK.Core 4.0.102.18's adaptive rate limiter refuses to retry a throttle from a
        // fresh client against a zero-latency endpoint (the official DynamoDB client does the same); Ops uses standard mode.
        using var endpoint = new ScriptedEndpoint((_, n) => n == 1 ? JsonError(500, "ServerException") : Ok);
        var connection = endpoint.Connection(maxAttempts: 3) with { RetryMode = RequestRetryMode.Adaptive };
        Assert.Single((await new Ecs.EcsClient(connection).ListClustersAsync()).ClusterArns!);
        Assert.Equal(2, endpoint.Requests.Count);
    }

    [Fact]
    public async Task Retries_stop_at_the_attempt_limit_with_the_wire_error()
    {
        using var endpoint = new ScriptedEndpoint((_, _) => JsonError(400, "ThrottlingException"));
        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => new Ecs.EcsClient(endpoint.Connection(maxAttempts: 2)).ListClustersAsync());
        Assert.Equal("ThrottlingException", e.ErrorCode);
        Assert.Equal(2, endpoint.Requests.Count);
    }

    [Fact]
    public async Task A_modeled_client_error_is_not_retried_and_keeps_its_code_and_status()
    {
        using var endpoint = new ScriptedEndpoint((_, _) => JsonError(400, "ClusterNotFoundException"));
        var ecs = new Ecs.EcsClient(endpoint.Connection(maxAttempts: 5));
        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => ecs.DescribeClustersAsync(new Ecs.DescribeClustersRequest { Clusters = ["x"] }));
        Assert.Equal("ClusterNotFoundException", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task Query_protocol_errors_keep_their_code_and_are_not_retried()
    {
        using var endpoint = new ScriptedEndpoint((_, _) => new(404,
            "<ErrorResponse><Error><Type>Sender</Type><Code>DBInstanceNotFound</Code><Message>DBInstance x not found.</Message></Error><RequestId>r</RequestId></ErrorResponse>", "text/xml"));
        var rds = new Rds.RdsClient(endpoint.Connection());
        var e = await Assert.ThrowsAsync<AmazonServiceException>(() =>
            rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "x" }));
        Assert.Equal("DBInstanceNotFound", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.StatusCode);
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task Query_protocol_throttling_is_retried()
    {
        using var endpoint = new ScriptedEndpoint((_, n) => n == 1
            ? new(400, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>", "text/xml")
            : new(200, "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances/></DescribeDBInstancesResult></DescribeDBInstancesResponse>", "text/xml"));
        await new Rds.RdsClient(endpoint.Connection()).DescribeDBInstancesAsync();
        Assert.Equal(2, endpoint.Requests.Count);
    }
}
