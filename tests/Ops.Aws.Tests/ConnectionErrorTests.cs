using System.Net;
using System.Net.Sockets;
using Ops.Aws.Sts;

namespace Ops.Aws.Tests;

/// <summary>A call that gets no usable answer fails with one line naming the endpoint, the call and the way out.</summary>
public class ConnectionErrorTests
{
    static AwsConnection To(Uri endpoint, TimeSpan? timeout = null) => new()
    {
        Credentials = new Amazon.Runtime.BasicAWSCredentials("test", "test"),
        Region = "us-east-1",
        EndpointUrl = endpoint,
        MaxAttempts = 1,
        Timeout = timeout,
    };

    static async Task<AwsConnectionException> Fails(AwsConnection connection)
    {
        var e = await Assert.ThrowsAsync<AwsConnectionException>(() => new StsClient(connection).GetCallerIdentityAsync());
        Assert.DoesNotContain("\n", e.Message);
        Assert.DoesNotMatch(@"\(\s*\)|:\s*[.;]|\s[.;]", e.Message);   // no empty fragment
        return e;
    }

    [Fact]
    public async Task A_refused_connection_names_the_endpoint_and_how_to_start_one()
    {
        var port = LoopbackPort.Free();
        var e = await Fails(To(new Uri($"http://127.0.0.1:{port}")));
        Assert.Equal($"Connection refused by http://127.0.0.1:{port}/ (STS GetCallerIdentity): nothing listens there; start the endpoint (./build.sh local-cloud, moto_server) or fix --endpoint-url.", e.Message);
        Assert.False(e.IsConfiguration);
    }

    /// <summary>Retrying an endpoint nothing listens on only hides the mistake: ten attempts allowed, one made.</summary>
    [Fact]
    public async Task A_refused_connection_is_not_retried_even_when_ten_attempts_are_allowed()
    {
        var port = LoopbackPort.Free();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = await Fails(To(new Uri($"http://127.0.0.1:{port}")) with { MaxAttempts = 10 });
        Assert.StartsWith($"Connection refused by http://127.0.0.1:{port}/", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed} (the issue's bound: within 5 s, not after a minute of backoff)");
    }

    /// <summary>A web server (or anything) at the endpoint that answers 200 with a page, or with garbage, is named as such.</summary>
    [Theory]
    [InlineData(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>It works</p></body></html>", "text/html; charset=utf-8, starting '<!DOCTYPE html>")]
    [InlineData(200, "text/html", "<html><body>It works</body></html>", "text/html, starting '<html><body>It works")]
    [InlineData(200, "text/plain", "garbage \u0001\u0002 not xml", "text/plain, starting 'garbage")]
    [InlineData(200, "application/json", "{\"hello\": \"world\"}", "application/json, starting '{")]
    public async Task An_answer_that_is_not_AWS_is_named_as_such_for_query_and_json_services(int status, string contentType, string body, string expected)
    {
        using var listener = new HttpListener();
        var port = LoopbackPort.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception) { return; }
                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
        var connection = To(new Uri($"http://127.0.0.1:{port}"));
        var sts = await Fails(connection);
        Assert.StartsWith($"http://127.0.0.1:{port}/ answered STS GetCallerIdentity with something that is not an AWS service ({expected}", sts.Message);
        Assert.EndsWith("check that --endpoint-url (or AWS_ENDPOINT_URL) names an AWS-compatible endpoint.", sts.Message);
        if (!body.StartsWith('{'))
        {
            var sqs = await Assert.ThrowsAsync<AwsConnectionException>(() =>
                new Ops.Aws.Sqs.SqsClient(connection).ListQueuesAsync(new Ops.Aws.Sqs.ListQueuesRequest()));
            Assert.Contains("answered SQS ListQueues with something that is not an AWS service", sqs.Message);
        }
        listener.Stop();
        await serving;
    }

    [Fact]
    public async Task An_unknown_host_says_DNS_has_no_such_name()
    {
        var e = await Fails(To(new Uri("http://no-such-host.invalid:4566")));
        Assert.StartsWith("Cannot resolve the host of http://no-such-host.invalid:4566/ (STS GetCallerIdentity): DNS has no such name; check the host in --endpoint-url", e.Message);
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_times_out_saying_what_waited_how_long()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptTcpClientAsync();   // accepts, reads nothing, never answers
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = await Fails(To(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(1)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
        Assert.StartsWith($"No answer from http://127.0.0.1:{port}/ to STS GetCallerIdentity within 1s per request (gave up after ", e.Message);
        Assert.EndsWith("allow longer with --aws-timeout (OPS_AWS_TIMEOUT), now 1s.", e.Message);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task An_expired_session_token_is_a_configuration_error_saying_how_to_refresh()
    {
        using var sts = new ScriptedEndpoint((_, _) => new ScriptedEndpoint.Reply(400,
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>ExpiredToken</Code>" +
            "<Message>The security token included in the request is expired</Message></Error><RequestId>r-1</RequestId></ErrorResponse>", "text/xml"));
        var e = await Fails(sts.Connection(maxAttempts: 1));
        Assert.True(e.IsConfiguration);
        Assert.Equal($"The AWS session token has expired (ExpiredToken from STS GetCallerIdentity at {sts.Url}); get fresh credentials (aws sso login, or a new session's AWS_SESSION_TOKEN) and run again.", e.Message);
    }

    [Fact]
    public async Task Service_errors_that_are_not_about_credentials_stay_service_errors()
    {
        using var sts = new ScriptedEndpoint((_, _) => new ScriptedEndpoint.Reply(403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>", "text/xml"));
        var e = await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() => new StsClient(sts.Connection(maxAttempts: 1)).GetCallerIdentityAsync());
        Assert.Equal("AccessDenied", e.ErrorCode);
    }
}
