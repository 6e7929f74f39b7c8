using System.Collections;
using System.Xml.Linq;

namespace Ops.Aws.Serialization;

/// <summary>Writes a shape as a rest-xml body element (CloudFront): members as elements, lists wrapped by item name.</summary>
internal static class XmlShapeWriter
{
    public static XElement Write(object shape, string rootName, string? ns)
    {
        XNamespace xmlns = ns ?? "";
        var root = new XElement(xmlns + rootName);
        WriteMembers(shape, root, xmlns);
        return root;
    }

    static void WriteMembers(object shape, XElement parent, XNamespace ns)
    {
        foreach (var member in ShapeMetadata.For(shape.GetType()).Members)
        {
            if (member.Http != null || member.Get(shape) is not { } value) continue;
            if (value is IList list && ShapeMetadata.IsList(value.GetType()))
            {
                var itemName = member.List?.ItemName ?? "member";
                if (member.List is { Flattened: true })
                    foreach (var item in list) parent.Add(Element(ns + itemName, item, ns));
                else
                    parent.Add(new XElement(ns + member.XmlName, list.Cast<object>().Select(item => Element(ns + itemName, item, ns))));
            }
            else
            {
                parent.Add(Element(ns + member.XmlName, value, ns, member.TimestampFormat));
            }
        }
    }

    static XElement Element(XName name, object value, XNamespace ns, string? timestampFormat = null)
    {
        var element = new XElement(name);
        if (ShapeMetadata.IsShape(value.GetType())) WriteMembers(value, element, ns);
        else element.Value = WireFormat.Format(value, timestampFormat);
        return element;
    }
}
