namespace Ops.Aws.Serialization;

// How a generated member travels on the XML-based wires (query, ec2, rest-xml). JSON wires use
// [JsonPropertyName] alone; every member also carries [JsonPropertyName] with its model name, which
// is what waiter expressions (JMESPath) address.

/// <summary>The member's element name in XML responses and rest-xml bodies (the model's locationName or member name).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class XmlNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The member's key in a query-protocol request (ec2: queryName or capitalised locationName).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QueryNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>A list member: the element/key name of each item, and whether items repeat without a wrapper.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListShapeAttribute(string? itemName, bool flattened) : Attribute
{
    public string? ItemName { get; } = itemName;
    public bool Flattened { get; } = flattened;
}

/// <summary>A map member: the names of the key and value elements, and whether entries repeat without a wrapper.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MapShapeAttribute(string keyName, string valueName, bool flattened) : Attribute
{
    public string KeyName { get; } = keyName;
    public string ValueName { get; } = valueName;
    public bool Flattened { get; } = flattened;
}

/// <summary>A timestamp with an explicit wire format: iso8601, unixTimestamp or rfc822.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimestampFormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}

/// <summary>A rest-xml member bound to the HTTP request or response rather than the body: uri, querystring or header.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpBindingAttribute(string location, string name) : Attribute
{
    public string Location { get; } = location;
    public string Name { get; } = name;
}

/// <summary>The rest-xml member that is the whole body; <see cref="Namespace"/> is the root element's xmlns.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpPayloadAttribute(string rootElement, string? ns) : Attribute
{
    public string RootElement { get; } = rootElement;
    public string? Namespace { get; } = ns;
}
