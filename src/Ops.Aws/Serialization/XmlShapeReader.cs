using System.Collections;
using System.Xml.Linq;

namespace Ops.Aws.Serialization;

/// <summary>Reads a shape from an XML element (query, ec2 and rest-xml responses); element names match by local name.</summary>
internal static class XmlShapeReader
{
    public static T Read<T>(XElement element) where T : new() => (T)ReadStructure(typeof(T), element);

    public static object ReadStructure(Type type, XElement element)
    {
        var shape = Activator.CreateInstance(type)!;
        foreach (var member in ShapeMetadata.For(type).Members)
        {
            if (member.Http != null) continue; // bound to headers, not the body
            object? value;
            if (ShapeMetadata.IsList(member.Type))
            {
                var items = member.List is { Flattened: true }
                    ? Children(element, member.List.ItemName ?? member.XmlName)
                    : Child(element, member.XmlName)?.Elements();
                if (items == null) continue;
                value = ReadList(member.Type, items);
            }
            else if (ShapeMetadata.IsMap(member.Type))
            {
                var entries = member.Map is { Flattened: true }
                    ? Children(element, member.XmlName)
                    : Child(element, member.XmlName)?.Elements();
                if (entries == null) continue;
                value = ReadMap(member.Type, entries, member.Map?.KeyName ?? "key", member.Map?.ValueName ?? "value");
            }
            else
            {
                var child = Child(element, member.XmlName);
                if (child == null) continue;
                value = ReadValue(member.Type, child);
            }
            member.Set(shape, value);
        }
        return shape;
    }

    static object? ReadValue(Type type, XElement element)
    {
        if (ShapeMetadata.IsList(type)) return ReadList(type, element.Elements());
        if (ShapeMetadata.IsMap(type)) return ReadMap(type, element.Elements(), "key", "value");
        if (ShapeMetadata.IsShape(type)) return ReadStructure(type, element);
        return WireFormat.Parse(type, element.Value);
    }

    static IList ReadList(Type listType, IEnumerable<XElement> items)
    {
        var itemType = listType.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(listType)!;
        foreach (var item in items) list.Add(ReadValue(itemType, item));
        return list;
    }

    static IDictionary ReadMap(Type mapType, IEnumerable<XElement> entries, string keyName, string valueName)
    {
        var valueType = mapType.GetGenericArguments()[1];
        var map = (IDictionary)Activator.CreateInstance(mapType)!;
        foreach (var entry in entries)
        {
            var key = Child(entry, keyName)?.Value;
            var value = Child(entry, valueName);
            if (key != null) map[key] = value == null ? null : ReadValue(valueType, value);
        }
        return map;
    }

    static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);
    static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);
}
