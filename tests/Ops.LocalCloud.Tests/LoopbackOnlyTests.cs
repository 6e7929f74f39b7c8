using System.Net;
using System.Text;
using Ops.LocalCloud.Protocol;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// Only loopback callers: a request correctly signed with the public test keys but addressed to another name (a page
/// that rebound its own name to 127.0.0.1) gets 403 naming --local-cloud-hosts, answers name only accepted hosts, and
/// whatever a browser sends for a page is refused.
/// </summary>
public sealed class LoopbackOnlyTests : IAsyncLifetime
{
    LocalCloudServer _server = null!;
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public async Task InitializeAsync() =>
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions { Delays = LifecycleDelays.Instant, AllowedHosts = ["ops-dev.lan"] });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    RawSignedRequest CreateQueue(string name, string? host) =>
        new(_server.Url, "sqs", "POST", "/", Encoding.UTF8.GetBytes($"{{\"QueueName\":\"{name}\"}}"))
        {
            Headers = new Dictionary<string, string> { ["x-amz-target"] = "AmazonSQS.CreateQueue" },
            ContentType = "application/x-amz-json-1.0",
            HostHeader = host,
        };

    async Task<(HttpStatusCode Status, string Body)> Send(RawSignedRequest request)
    {
        using var response = await _http.SendAsync(request.Build());
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("rebind.attacker.example")]
    [InlineData("127.0.0.1.attacker.example")]
    [InlineData("localhost.attacker.example")]
    [InlineData("2130706433")]
    [InlineData("10.0.0.5")]
    public async Task A_signed_request_for_another_host_is_403_naming_the_parameter_and_changes_nothing(string name)
    {
        var queue = $"rebind-{Guid.NewGuid():N}"[..20];
        var (status, body) = await Send(CreateQueue(queue, $"{name}:{_server.Url.Port}"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("--local-cloud-hosts", body);
        Assert.Contains("is not a loopback name", body);
        var (listed, list) = await Send(CreateQueue(queue, null) with { Headers = new Dictionary<string, string> { ["x-amz-target"] = "AmazonSQS.ListQueues" }, Body = "{}"u8.ToArray() });
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.DoesNotContain(queue, list);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("[::1]")]
    [InlineData("ops-dev.lan")]
    public async Task Loopback_names_and_the_added_ones_are_answered_and_urls_name_the_host_that_was_asked(string name)
    {
        var queue = $"loop-{Guid.NewGuid():N}"[..20];
        var (status, body) = await Send(CreateQueue(queue, $"{name}:{_server.Url.Port}"));
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains($"http://{name.ToLowerInvariant()}:{_server.Url.Port}/", body.ToLowerInvariant());
    }

    [Fact]
    public async Task A_browser_preflight_gets_no_cors_grant_and_a_page_request_is_refused()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, _server.Url);
        preflight.Headers.Add("Origin", "https://attacker.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,x-amz-target,x-amz-date");
        using var answer = await _http.SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);

        // A "simple" form POST needs no preflight: the page's Origin (or Sec-Fetch-*) header is what marks it.
        foreach (var (header, value) in new[] { ("Origin", "https://attacker.example"), ("Sec-Fetch-Site", "cross-site") })
        {
            using var simple = new HttpRequestMessage(HttpMethod.Post, _server.Url) { Content = new StringContent("Action=ListQueues&Version=2012-11-05", Encoding.UTF8, "application/x-www-form-urlencoded") };
            simple.Headers.Add(header, value);
            using var refused = await _http.SendAsync(simple);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Requests from web pages are refused", await refused.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("127.0.0.1:4566", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]:4566", true)]
    [InlineData("a.localhost:1", true)]
    [InlineData("localhost.", true)]
    [InlineData("", false)]
    [InlineData("[::1", false)]
    [InlineData("[::ffff:127.0.0.1]:80", false)]
    [InlineData("127.0.0.1:port", false)]
    [InlineData("127.1", false)]
    [InlineData("0x7f000001", false)]
    [InlineData("evil.example", false)]
    public void What_counts_as_a_loopback_host(string header, bool accepted) =>
        Assert.Equal(accepted, new LoopbackHosts([]).Accepts(header));
}
