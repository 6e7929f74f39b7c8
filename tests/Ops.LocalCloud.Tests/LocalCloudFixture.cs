using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Ops.Aws;

namespace Ops.LocalCloud.Tests;

/// <summary>One local cloud (instant lifecycles, in memory) shared by a test collection.</summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    public LocalCloudServer Server { get; private set; } = null!;
    public Uri Url => Server.Url;

    public AwsConnection Connection => new()
    {
        Credentials = new BasicAWSCredentials("test", "test"), Region = "us-east-1", EndpointUrl = Url, MaxAttempts = 3,
    };

    public async Task InitializeAsync() =>
        Server = await LocalCloudServer.StartAsync(new LocalCloudOptions { Delays = LifecycleDelays.Instant });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 40)];

    /// <summary>The aws CLI against this cloud: (exit code, parsed JSON or null, stderr).</summary>
    public async Task<(int Code, JsonNode? Json, string Error)> Cli(params string[] args)
    {
        var info = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var a in new[] { "--endpoint-url", Url.ToString(), "--output", "json" }) info.ArgumentList.Add(a);
        info.Environment["AWS_ACCESS_KEY_ID"] = "test";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var text = await stdout;
        var json = text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[') ? JsonNode.Parse(text) : null;
        return (p.ExitCode, json, await stderr);
    }

    /// <summary>The aws CLI call must succeed; returns its JSON output.</summary>
    public async Task<JsonNode?> Aws(params string[] args)
    {
        var (code, json, error) = await Cli(args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {error}");
        return json;
    }
}

[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<LocalCloudFixture>
{
    public const string Name = "local cloud";
}
