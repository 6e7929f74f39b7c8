namespace Ops.Contracts;

/// <summary>The names botocore's service models give <see cref="AwsProtocol"/> (metadata.protocol).</summary>
public static class AwsProtocols
{
    /// <summary>The protocol a model's <c>metadata.protocol</c> names; throws <see cref="ArgumentException"/> for one Ops does not speak.</summary>
    public static AwsProtocol FromModel(string name) => name switch
    {
        "json" => AwsProtocol.Json,
        "query" => AwsProtocol.Query,
        "ec2" => AwsProtocol.Ec2,
        "rest-xml" => AwsProtocol.RestXml,
        _ => throw new ArgumentException($"protocol '{name}' is not one Ops speaks (json, query, ec2, rest-xml)", nameof(name)),
    };
}
