using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Ops.Aws.Serialization;

/// <summary>How each member of a generated shape travels on the wire, read once per type from its attributes.</summary>
internal sealed class ShapeMetadata
{
    static readonly ConcurrentDictionary<Type, ShapeMetadata> Cache = new();

    public IReadOnlyList<MemberMetadata> Members { get; }

    ShapeMetadata(Type type) =>
        Members = type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() != null)
            .Select(p => new MemberMetadata(p))
            .ToList();

    public static ShapeMetadata For(Type type) => Cache.GetOrAdd(type, t => new ShapeMetadata(t));

    public static bool IsShape(Type type) => type.IsClass && type != typeof(string) && type != typeof(byte[]) && !IsList(type) && !IsMap(type);
    public static bool IsList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);
    public static bool IsMap(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>);
}

/// <summary>One member: its names on each wire and its list/map/timestamp/HTTP traits.</summary>
internal sealed class MemberMetadata
{
    public PropertyInfo Property { get; }
    public Type Type { get; }
    public string ModelName { get; }
    public string XmlName { get; }
    public string QueryName { get; }
    public ListShapeAttribute? List { get; }
    public MapShapeAttribute? Map { get; }
    public string? TimestampFormat { get; }
    public HttpBindingAttribute? Http { get; }
    public HttpPayloadAttribute? Payload { get; }

    public MemberMetadata(PropertyInfo property)
    {
        Property = property;
        Type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        ModelName = property.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name;
        XmlName = property.GetCustomAttribute<XmlNameAttribute>()?.Name ?? ModelName;
        QueryName = property.GetCustomAttribute<QueryNameAttribute>()?.Name ?? ModelName;
        List = property.GetCustomAttribute<ListShapeAttribute>();
        Map = property.GetCustomAttribute<MapShapeAttribute>();
        TimestampFormat = property.GetCustomAttribute<TimestampFormatAttribute>()?.Format;
        Http = property.GetCustomAttribute<HttpBindingAttribute>();
        Payload = property.GetCustomAttribute<HttpPayloadAttribute>();
    }

    public object? Get(object target) => Property.GetValue(target);
    public void Set(object target, object? value) => Property.SetValue(target, value);
}
