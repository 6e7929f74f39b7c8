using System.Net;
using System.Text;
using Ops.LocalCloud.Diagnostics;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// What every request goes through before a handler sees it: SigV4 as strict as AWS, authentication before fault
/// injection and before the body is read, bounded bodies, and malformed input answered as a 400 in the protocol's
/// own error shape. Requests are signed by hand (<see cref="RawSignedRequest"/>) so each can be spoiled in one way.
/// </summary>
public sealed class RequestPipelineTests : IAsyncLifetime
{
    LocalCloudServer _server = null!;
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public async Task InitializeAsync() =>
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions { Delays = LifecycleDelays.Instant });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    RawSignedRequest SqsJson(string operation, string json) =>
        new(_server.Url, "sqs", "POST", "/", Encoding.UTF8.GetBytes(json))
        {
            Headers = new Dictionary<string, string> { ["x-amz-target"] = $"AmazonSQS.{operation}" },
            ContentType = "application/x-amz-json-1.0",
        };

    RawSignedRequest StsQuery() =>
        new(_server.Url, "sts", "POST", "/", Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15"))
        {
            ContentType = "application/x-www-form-urlencoded; charset=utf-8",
        };

    async Task<(HttpStatusCode Status, string Body)> Send(RawSignedRequest request, HttpContent? content = null)
    {
        using var response = await _http.SendAsync(request.Build(content));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Correctly_signed_raw_requests_succeed_so_the_refusals_below_are_the_alterations_doing()
    {
        var (status, body) = await Send(SqsJson("ListQueues", "{}"));
        Assert.Equal(HttpStatusCode.OK, status);
        (status, body) = await Send(StsQuery());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<Account>123456789012</Account>", body);
    }

    [Fact]
    public async Task No_Authorization_header_is_MissingAuthenticationToken_403_in_json_and_query()
    {
        var (status, body) = await Send(SqsJson("ListQueues", "{}") with { Sign = false });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("MissingAuthenticationToken", body);
        (status, body) = await Send(StsQuery() with { Sign = false });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", body);
        Assert.DoesNotContain(_server.Requests.Entries, e => e.Status == 200);
    }

    [Fact]
    public async Task A_credential_scope_date_other_than_X_Amz_Date_is_refused()
    {
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyyMMdd");
        var (status, body) = await Send(StsQuery() with { ScopeDate = yesterday });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("SignatureDoesNotMatch", body);
        Assert.Contains("Credential scope", body);
    }

    [Theory]
    [InlineData(-16)]
    [InlineData(16)]
    public async Task A_request_signed_more_than_15_minutes_off_is_refused_and_14_minutes_is_not(int minutes)
    {
        var (status, body) = await Send(SqsJson("ListQueues", "{}") with { SignedAt = DateTimeOffset.UtcNow.AddMinutes(minutes) });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("SignatureDoesNotMatch", body);
        Assert.Contains(minutes < 0 ? "Signature expired" : "Signature not yet current", body);
        (status, _) = await Send(SqsJson("ListQueues", "{}") with { SignedAt = DateTimeOffset.UtcNow.AddMinutes(Math.Sign(minutes) * 14) });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task S3_answers_a_skewed_request_with_RequestTimeTooSkewed()
    {
        var request = new RawSignedRequest(_server.Url, "s3", "GET", "/", []) { DeclaredPayloadHash = RawSignedRequest.Sha256([]) };
        Assert.Equal(HttpStatusCode.OK, (await Send(request)).Status);
        var (status, body) = await Send(request with { SignedAt = DateTimeOffset.UtcNow.AddMinutes(-20) });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>RequestTimeTooSkewed</Code>", body);
    }

    [Fact]
    public async Task Host_must_be_among_the_signed_headers()
    {
        var (status, body) = await Send(StsQuery() with { SignHost = false });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("IncompleteSignature", body);
    }

    [Fact]
    public async Task UNSIGNED_PAYLOAD_is_for_S3_only()
    {
        var (status, body) = await Send(SqsJson("ListQueues", "{}") with { DeclaredPayloadHash = "UNSIGNED-PAYLOAD" });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("SignatureDoesNotMatch", body);
        Assert.Contains("S3 only", body);
    }

    [Fact]
    public async Task A_declared_payload_hash_must_match_the_body()
    {
        var request = SqsJson("ListQueues", "{}");
        Assert.Equal(HttpStatusCode.OK, (await Send(request with { DeclaredPayloadHash = RawSignedRequest.Sha256(request.Body) })).Status);
        var (status, body) = await Send(request with { DeclaredPayloadHash = RawSignedRequest.Sha256("{\"x\":1}"u8.ToArray()) });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("x-amz-content-sha256", body);
    }

    [Fact]
    public async Task A_body_other_than_the_one_signed_is_SignatureDoesNotMatch()
    {
        var request = SqsJson("ListQueues", "{}");
        var (status, body) = await Send(request, new ByteArrayContent("{\"QueueNamePrefix\":\"x\"}"u8.ToArray())
        {
            Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0") },
        });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("SignatureDoesNotMatch", body);
    }

    [Fact]
    public async Task Authentication_comes_before_fault_injection()
    {
        _server.Faults.Add(new FaultRule { Service = "sqs", Throttle = true });
        var (status, body) = await Send(SqsJson("ListQueues", "{}") with { Sign = false });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("MissingAuthenticationToken", body);
        (status, body) = await Send(SqsJson("ListQueues", "{}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("RequestThrottled", body);
    }

    [Fact]
    public async Task An_unsigned_request_is_refused_before_its_body_is_read()
    {
        var (status, response) = await SendHeadersAndStall(SqsJson("SendMessage", "{}") with { Sign = false }, 100L * 1024 * 1024);
        Assert.Equal(403, status);
        Assert.Contains("MissingAuthenticationToken", response);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_413_before_it_is_buffered()
    {
        var (status, response) = await SendHeadersAndStall(SqsJson("SendMessage", "{}"), 50L * 1024 * 1024);
        Assert.Equal(413, status);
        Assert.Contains("RequestEntityTooLarge", response);
    }

    /// <summary>
    /// Sends the request's headers announcing <paramref name="announced"/> bytes, then only 64 KiB of them, and reads
    /// the answer: a server that waited for the body would never answer within the time allowed.
    /// </summary>
    async Task<(int Status, string Response)> SendHeadersAndStall(RawSignedRequest request, long announced)
    {
        using var message = request.Build();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_server.Url.Host, _server.Url.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder($"{message.Method} {message.RequestUri!.PathAndQuery} HTTP/1.1\r\nHost: {message.RequestUri.Authority}\r\n");
        foreach (var (name, values) in message.Headers) head.Append($"{name}: {string.Join(",", values)}\r\n");
        if (request.ContentType != null) head.Append($"Content-Type: {request.ContentType}\r\n");
        head.Append($"Content-Length: {announced}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(new byte[64 * 1024]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n") || !received.ToString().Contains("</") && !received.ToString().Contains("}"))
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        var text = received.ToString();
        Assert.StartsWith("HTTP/1.1 ", text);
        return (int.Parse(text[9..12]), text);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_the_cap_is_413()
    {
        var content = new NeverEndingContent(null); // no Content-Length: the server must count as it reads
        var (status, body) = await Send(SqsJson("SendMessage", "{}"), content);
        Assert.Equal((HttpStatusCode)413, status);
        Assert.Contains("RequestEntityTooLarge", body);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"MaxResults\":\"ten\"}", "a whole number at \\u0027MaxResults")]
    [InlineData("{\"QueueNamePrefix\":{\"a\":1}}", "a string at \\u0027QueueNamePrefix")]
    public async Task Malformed_json_is_a_400_SerializationException(string json, string detail)
    {
        var (status, body) = await Send(SqsJson("ListQueues", json));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("SerializationException", body);
        Assert.Contains(detail, body);
    }

    [Fact]
    public async Task A_malformed_query_value_is_a_400_in_the_xml_error_shape()
    {
        var request = new RawSignedRequest(_server.Url, "rds", "POST", "/",
            Encoding.UTF8.GetBytes("Action=DescribeDBInstances&Version=2014-10-31&MaxRecords=lots"))
        {
            ContentType = "application/x-www-form-urlencoded; charset=utf-8",
        };
        var (status, body) = await Send(request);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<ErrorResponse", body);
        Assert.Contains("lots", body);
    }

    [Fact]
    public async Task Malformed_xml_is_a_400_MalformedInput()
    {
        var request = new RawSignedRequest(_server.Url, "cloudfront", "POST", "/2020-05-31/distribution/E123/invalidation",
            "<InvalidationBatch><Paths>"u8.ToArray())
        { ContentType = "text/xml" };
        var (status, body) = await Send(request);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("MalformedInput", body);
    }

    /// <summary>A body that trickles bytes slowly, announcing <c>length</c> (or none, for chunked transfer).</summary>
    sealed class NeverEndingContent(long? length) : HttpContent
    {
        public bool Finished { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            var sent = 0L;
            try
            {
                // Without a length: send fast, past any cap. With a length: send a little, then stall.
                while (length == null ? sent < 64L * 1024 * 1024 : sent < 256 * 1024)
                {
                    await stream.WriteAsync(chunk);
                    sent += chunk.Length;
                }
                if (length != null) await Task.Delay(TimeSpan.FromSeconds(15));
                Finished = true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
            {
                // the server answered and closed: what the test hopes for
            }
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = length ?? 0;
            return length != null;
        }
    }
}
