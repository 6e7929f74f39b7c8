using System.Collections;

namespace Ops.Aws.Serialization;

/// <summary>
/// Flattens a request shape into query-protocol parameters, following botocore's serializers:
/// awsQuery lists are <c>Key.member.N</c> (or <c>Key.N</c> when flattened, empty list sent as <c>Key=</c>),
/// maps <c>Key.entry.N.key/value</c>; ec2 lists are always <c>Key.N</c> and empty lists are omitted.
/// </summary>
internal static class QuerySerializer
{
    public static List<KeyValuePair<string, string>> Serialize(object request, AwsProtocol protocol)
    {
        var result = new List<KeyValuePair<string, string>>();
        WriteStructure(request, "", protocol, result);
        return result;
    }

    static void WriteStructure(object shape, string prefix, AwsProtocol protocol, List<KeyValuePair<string, string>> output)
    {
        foreach (var member in ShapeMetadata.For(shape.GetType()).Members)
        {
            var value = member.Get(shape);
            if (value == null) continue;
            var key = prefix.Length == 0 ? member.QueryName : $"{prefix}.{member.QueryName}";
            WriteValue(value, key, member, protocol, output);
        }
    }

    static void WriteValue(object value, string key, MemberMetadata? member, AwsProtocol protocol, List<KeyValuePair<string, string>> output)
    {
        switch (value)
        {
            case IList list when ShapeMetadata.IsList(value.GetType()):
                WriteList(list, key, member?.List, protocol, output);
                break;
            case IDictionary map:
                WriteMap(map, key, member?.Map, output);
                break;
            case var shape when ShapeMetadata.IsShape(value.GetType()):
                WriteStructure(shape, key, protocol, output);
                break;
            default:
                output.Add(new(key, WireFormat.Format(value, member?.TimestampFormat)));
                break;
        }
    }

    static void WriteList(IList list, string key, ListShapeAttribute? shape, AwsProtocol protocol, List<KeyValuePair<string, string>> output)
    {
        string itemPrefix;
        if (protocol == AwsProtocol.Ec2)
        {
            itemPrefix = key;
        }
        else
        {
            if (list.Count == 0)
            {
                output.Add(new(key, ""));
                return;
            }
            itemPrefix = shape is { Flattened: true }
                ? shape.ItemName is { } name ? ReplaceLastSegment(key, name) : key
                : $"{key}.{shape?.ItemName ?? "member"}";
        }
        for (var i = 0; i < list.Count; i++)
            if (list[i] is { } item)
                WriteValue(item, $"{itemPrefix}.{i + 1}", null, protocol, output);
    }

    static void WriteMap(IDictionary map, string key, MapShapeAttribute? shape, List<KeyValuePair<string, string>> output)
    {
        var prefix = shape is { Flattened: true } ? key : $"{key}.entry";
        var i = 0;
        foreach (DictionaryEntry entry in map)
        {
            i++;
            output.Add(new($"{prefix}.{i}.{shape?.KeyName ?? "key"}", WireFormat.Format(entry.Key, null)));
            if (entry.Value != null)
                WriteValue(entry.Value, $"{prefix}.{i}.{shape?.ValueName ?? "value"}", null, AwsProtocol.Query, output);
        }
    }

    static string ReplaceLastSegment(string key, string name)
    {
        var dot = key.LastIndexOf('.');
        return dot < 0 ? name : key[..(dot + 1)] + name;
    }
}
