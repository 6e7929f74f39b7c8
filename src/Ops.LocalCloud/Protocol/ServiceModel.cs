using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.LocalCloud.Protocol;

/// <summary>A trimmed botocore service model (tools/aws/generate.py): protocol facts, operations and shapes.</summary>
internal sealed class ServiceModel
{
    static readonly ConcurrentDictionary<string, ServiceModel> Cache = new();

    public string Name { get; }
    public AwsProtocol Protocol { get; }
    public string ApiVersion { get; }
    public string SigningName { get; }
    public string? TargetPrefix { get; }
    public string JsonVersion { get; }
    public string XmlNamespace { get; }
    /// <summary>awsQueryCompatible (SQS): errors also carry the legacy query code.</summary>
    public bool QueryCompatible { get; }
    public IReadOnlyDictionary<string, OperationModel> Operations { get; }
    readonly JsonObject _shapes;

    ServiceModel(string name, JsonObject model)
    {
        Name = name;
        var meta = model["metadata"]!.AsObject();
        Protocol = AwsProtocols.FromModel((string)meta["protocol"]!);
        ApiVersion = (string)meta["apiVersion"]!;
        SigningName = (string?)meta["signingName"] ?? (string)meta["endpointPrefix"]!;
        TargetPrefix = (string?)meta["targetPrefix"];
        JsonVersion = (string?)meta["jsonVersion"] ?? "1.0";
        XmlNamespace = (string?)meta["xmlNamespace"] ?? $"http://{meta["endpointPrefix"]}.amazonaws.com/doc/{ApiVersion}/";
        QueryCompatible = meta["awsQueryCompatible"] != null;
        _shapes = model["shapes"]!.AsObject();
        Operations = model["operations"]!.AsObject().ToDictionary(kv => kv.Key, kv => new OperationModel(kv.Key, kv.Value!.AsObject()));
    }

    public static ServiceModel Load(string service) => Cache.GetOrAdd(service, s =>
    {
        using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream($"Models.{s}.json")
            ?? throw new InvalidOperationException($"No model for {s}.");
        return new ServiceModel(s, JsonNode.Parse(stream)!.AsObject());
    });

    public JsonObject Shape(string name) => _shapes[name]!.AsObject();
}

/// <summary>One operation: its HTTP binding (rest-xml), input and output shapes, and the query result wrapper.</summary>
internal sealed class OperationModel(string name, JsonObject o)
{
    /// <summary>The operation's key in the model (CloudFront's internal names carry an API-version suffix).</summary>
    public string Name { get; } = name;
    public string HttpMethod { get; } = (string?)o["http"]?["method"] ?? "POST";
    public string RequestUri { get; } = (string?)o["http"]?["requestUri"] ?? "/";
    public string? Input { get; } = (string?)o["input"]?["shape"];
    public string? Output { get; } = (string?)o["output"]?["shape"];
    public string? ResultWrapper { get; } = (string?)o["output"]?["resultWrapper"];
}
