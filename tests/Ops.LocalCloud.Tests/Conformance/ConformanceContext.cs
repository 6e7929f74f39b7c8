using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>What a row works with: a name no other row uses, values its arrangement kept, and the aws CLI against the cloud.</summary>
public sealed class ConformanceContext(Uri endpoint)
{
    public string Name { get; } = LocalCloudFixture.Unique("conf");

    /// <summary>The cloud's endpoint, for a follow-up call that is expected to fail.</summary>
    public Uri Endpoint => endpoint;
    public Dictionary<string, string> Values { get; } = new();
    public string this[string key] => Values[key];

    /// <summary>An arrangement or follow-up call that must succeed.</summary>
    public Task<JsonNode?> Aws(params string[] args) => AwsCli.Run(endpoint, args);
}
