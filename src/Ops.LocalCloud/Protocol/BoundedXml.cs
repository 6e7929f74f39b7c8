using System.Xml;
using System.Xml.Linq;

namespace Ops.LocalCloud.Protocol;

/// <summary>
/// Parses a request's XML in time linear in its size: no DTD, no external entities, and at most <see cref="MaxDepth"/>
/// levels of nesting (AWS's request documents need fewer than ten), checked while reading so a hostile body is refused
/// as soon as it goes too deep.
/// </summary>
internal static class BoundedXml
{
    public const int MaxDepth = 32;

    /// <summary>The document, or <see cref="XmlException"/> naming what is wrong (malformed, or nested too deep).</summary>
    public static XDocument Load(Stream body)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreProcessingInstructions = true,
            IgnoreComments = true,
            CloseInput = false,
        };
        using var reader = new DepthLimitedReader(XmlReader.Create(body, settings), MaxDepth);
        return XDocument.Load(reader);
    }

    /// <summary>Parses UTF-8 bytes as <see cref="Load(Stream)"/> does.</summary>
    public static XDocument Parse(byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        return Load(stream);
    }

    /// <summary>An XmlReader that throws once an element lies deeper than the limit.</summary>
    sealed class DepthLimitedReader(XmlReader inner, int maxDepth) : XmlReader
    {
        public override bool Read()
        {
            var more = inner.Read();
            if (more && inner.NodeType == XmlNodeType.Element && inner.Depth >= maxDepth)
                throw new XmlException($"elements are nested deeper than {maxDepth} levels (line {((IXmlLineInfo)inner).LineNumber}).");
            return more;
        }

        public override int AttributeCount => inner.AttributeCount;
        public override string BaseURI => inner.BaseURI;
        public override int Depth => inner.Depth;
        public override bool EOF => inner.EOF;
        public override bool IsEmptyElement => inner.IsEmptyElement;
        public override string LocalName => inner.LocalName;
        public override string NamespaceURI => inner.NamespaceURI;
        public override XmlNameTable NameTable => inner.NameTable;
        public override XmlNodeType NodeType => inner.NodeType;
        public override string Prefix => inner.Prefix;
        public override ReadState ReadState => inner.ReadState;
        public override string Value => inner.Value;
        public override string GetAttribute(int i) => inner.GetAttribute(i);
        public override string? GetAttribute(string name) => inner.GetAttribute(name);
        public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);
        public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);
        public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);
        public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);
        public override bool MoveToElement() => inner.MoveToElement();
        public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();
        public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();
        public override bool ReadAttributeValue() => inner.ReadAttributeValue();
        public override void ResolveEntity() => inner.ResolveEntity();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
