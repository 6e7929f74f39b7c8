namespace Ops.Aws.Runtime;

/// <summary>Static facts about a service, from its model's metadata block.</summary>
public sealed record AwsServiceInfo(
    string ServiceId,
    string EndpointPrefix,
    string SigningName,
    string ApiVersion,
    AwsProtocol Protocol,
    string? TargetPrefix = null,
    string JsonVersion = "1.1",
    bool QueryCompatible = false);

/// <summary>One operation: its name and, for rest-xml, its HTTP method and URI template; for query, its result wrapper.</summary>
public sealed record AwsOperation(string Name, string HttpMethod = "POST", string RequestUri = "/", string? ResultWrapper = null);
