using System.Text.Json.Nodes;
using Ops.Aws;

namespace Ops.LocalCloud.Tests;

/// <summary>One local cloud (instant lifecycles, in memory) shared by a test collection.</summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    public LocalCloudServer Server { get; private set; } = null!;
    public Uri Url => Server.Url;

    public AwsConnection Connection => TestClouds.Connection(Url, 3);

    public async Task InitializeAsync() =>
        Server = await LocalCloudServer.StartAsync(TestClouds.Options());

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 40)];

    /// <summary>The aws CLI against this cloud: (exit code, parsed JSON or null, stderr).</summary>
    public Task<(int Code, JsonNode? Json, string Error)> Cli(params string[] args) => AwsCli.Try(Url, args);

    /// <summary>The aws CLI call must succeed; returns its JSON output.</summary>
    public Task<JsonNode?> Aws(params string[] args) => AwsCli.Run(Url, args);
}

[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<LocalCloudFixture>
{
    public const string Name = "local cloud";
}
