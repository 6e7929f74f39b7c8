using Ops.Contracts;

namespace Ops.Aws.Tests;

/// <summary>
/// A connection by URL knows whether an Ops local cloud is behind it (which runs tasks as processes and serves its stores
/// without TLS) by the local cloud's probe, not by which --cloud was given: moto, a stranger or nothing at all is not one.
/// </summary>
public abstract class LocalCloudProbeTests(ITestCloud cloud)
{
    static Task<AwsConnection> Connect(CloudKind kind, Uri endpoint) =>
        new AwsConnectionFactory(environment: new Dictionary<string, string>()).ConnectAsync(new AwsSettings(kind, endpoint, "us-east-1", null), default);

    [Fact]
    public async Task The_probe_tells_a_local_cloud_from_any_other_endpoint() =>
        Assert.Equal(!cloud.IsMoto, (await Connect(CloudKind.Local, cloud.Endpoint)).IsOpsLocalCloud);

    [Fact]
    public async Task With_cloud_aws_no_endpoint_is_taken_for_a_local_cloud()
    {
        var scratch = Directory.CreateTempSubdirectory("ops-probe-");
        try
        {
            var credentials = Path.Combine(scratch.FullName, "credentials");
            await File.WriteAllTextAsync(credentials, "[probe]\naws_access_key_id = test\naws_secret_access_key = test\n");
            var connection = await new AwsConnectionFactory(environment: new Dictionary<string, string> { ["AWS_SHARED_CREDENTIALS_FILE"] = credentials })
                .ConnectAsync(new AwsSettings(CloudKind.Aws, cloud.Endpoint, "us-east-1", "probe"), default);
            Assert.False(connection.IsOpsLocalCloud);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}

[Collection(MotoCollection.Name)]
public sealed class LocalCloudProbeTestsOnMoto(MotoServer cloud) : LocalCloudProbeTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class LocalCloudProbeTestsOnLocalCloud(LocalCloudTestServer cloud) : LocalCloudProbeTests(cloud);

/// <summary>The probe's answer must be the local cloud's exact one; anything else, or no answer, is not a local cloud.</summary>
public class LocalCloudProbeAnswerTests
{
    static async Task<bool> ProbeAsync(Func<ScriptedEndpoint.Recorded, int, ScriptedEndpoint.Reply> script)
    {
        using var endpoint = new ScriptedEndpoint(script);
        var connection = await new AwsConnectionFactory(environment: new Dictionary<string, string>())
            .ConnectAsync(new AwsSettings(CloudKind.Local, endpoint.Url, "us-east-1", null), default);
        return connection.IsOpsLocalCloud;
    }

    [Theory]
    [InlineData(200, """{"cloud":"ops-local-cloud","tasks":"processes"}""", true)]
    [InlineData(200, """{"cloud":"moto","tasks":"processes"}""", false)]
    [InlineData(200, """{"cloud":"ops-local-cloud","tasks":"containers"}""", false)]
    [InlineData(200, """["ops-local-cloud"]""", false)]
    [InlineData(200, "not json", false)]
    [InlineData(404, """{"cloud":"ops-local-cloud","tasks":"processes"}""", false)]
    public async Task Only_the_exact_answer_counts(int status, string body, bool expected) =>
        Assert.Equal(expected, await ProbeAsync((r, _) => r.RawUrl.StartsWith(LocalCloudProbe.Path, StringComparison.Ordinal)
            ? new ScriptedEndpoint.Reply(status, body, "application/json")
            : new ScriptedEndpoint.Reply(404, "", "text/plain")));

    [Fact]
    public async Task Nothing_listening_is_not_a_local_cloud()
    {
        var connection = await new AwsConnectionFactory(environment: new Dictionary<string, string>())
            .ConnectAsync(new AwsSettings(CloudKind.Local, new Uri($"http://127.0.0.1:{LoopbackPort.Free()}"), "us-east-1", null), default);
        Assert.False(connection.IsOpsLocalCloud);
    }
}
