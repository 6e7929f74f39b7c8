using System.Net;
using System.Text;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// Bodies built to cost time: deeply nested XML and JSON are refused with the service's own error after one linear
/// read (the client's 20 s timeout would fail a parse that took the seconds a quadratic one did).
/// </summary>
public sealed class HostileBodyTests : IAsyncLifetime
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

    static byte[] Nested(string open, string close, string inner, int depth)
    {
        var text = new StringBuilder(depth * (open.Length + close.Length) + inner.Length);
        for (var i = 0; i < depth; i++) text.Append(open);
        text.Append(inner);
        for (var i = 0; i < depth; i++) text.Append(close);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public async Task A_deeply_nested_DeleteObjects_body_is_MalformedXML_and_deletes_nothing()
    {
        Assert.Equal(200, (await RawS3Request.SendAsync(_server.Url, "PUT", "/hostile-xml")).Status);
        Assert.Equal(200, (await RawS3Request.SendAsync(_server.Url, "PUT", "/hostile-xml/keep", "kept"u8.ToArray())).Status);

        // About 2.2 MB: 200,000 levels of <a> around one Object.
        var body = Nested("<a>", "</a>", "<Object><Key>keep</Key></Object>", 200_000);
        var deep = Encoding.UTF8.GetBytes("<Delete>").Concat(body).Concat(Encoding.UTF8.GetBytes("</Delete>")).ToArray();
        var response = await RawS3Request.SendAsync(_server.Url, "POST", "/hostile-xml?delete", deep,
            new Dictionary<string, string> { ["content-md5"] = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(deep)) });
        Assert.Equal(400, response.Status);
        Assert.Contains("<Code>MalformedXML</Code>", response.Text);
        Assert.Contains("nested deeper than 32 levels", response.Text);
        Assert.Equal(200, (await RawS3Request.SendAsync(_server.Url, "GET", "/hostile-xml/keep")).Status);

        // A well-formed request still works.
        var fine = "<Delete><Object><Key>keep</Key></Object></Delete>"u8.ToArray();
        var deleted = await RawS3Request.SendAsync(_server.Url, "POST", "/hostile-xml?delete", fine,
            new Dictionary<string, string> { ["content-md5"] = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(fine)) });
        Assert.Equal(200, deleted.Status);
        Assert.Equal(404, (await RawS3Request.SendAsync(_server.Url, "GET", "/hostile-xml/keep")).Status);
    }

    [Theory]
    [InlineData("[", "]", "1")]
    [InlineData("{\"a\":", "}", "1")]
    public async Task A_deeply_nested_json_body_is_a_SerializationException(string open, string close, string inner)
    {
        var body = Encoding.UTF8.GetBytes("{\"QueueName\":").Concat(Nested(open, close, inner, 500_000)).Concat("}"u8.ToArray()).ToArray();
        var request = new RawSignedRequest(_server.Url, "sqs", "POST", "/", body)
        {
            Headers = new Dictionary<string, string> { ["x-amz-target"] = "AmazonSQS.CreateQueue" },
            ContentType = "application/x-amz-json-1.0",
        };
        using var response = await _http.SendAsync(request.Build());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("SerializationException", await response.Content.ReadAsStringAsync());
    }
}
