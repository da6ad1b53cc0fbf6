using System.Text;
using System.Xml;
using MetadataExtractor;
using MetadataExtractor.Formats.Jpeg;

namespace EvidenceCheck.Forensics;

/// <summary>
/// The few XMP properties EvidenceCheck uses (tool, dates, user comment, edit history), read from the
/// packet with System.Xml's reader. MetadataExtractor 2.4 builds the whole XMP model through XmpCore,
/// which costs ~40× the rest of a JPEG's metadata; this keeps inspection at header speed. Keys use
/// the conventional prefixes whatever the packet declares (<c>xmp:CreatorTool</c>,
/// <c>xmpMM:History[2]/stEvt:softwareAgent</c>), as MetadataExtractor's own property list does.
/// </summary>
internal static class XmpPropertyReader
{
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["http://ns.adobe.com/xap/1.0/"] = "xmp",
        ["http://ns.adobe.com/xap/1.0/mm/"] = "xmpMM",
        ["http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"] = "stEvt",
        ["http://ns.adobe.com/exif/1.0/"] = "exif",
        ["http://ns.adobe.com/tiff/1.0/"] = "tiff",
        ["http://ns.adobe.com/photoshop/1.0/"] = "photoshop",
    };

    private static readonly XmlReaderSettings Settings = new()
    {
        // A packet is a few KB; entity expansion and external references are how XML bombs work.
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 4 << 20,
        IgnoreComments = true, IgnoreProcessingInstructions = true, IgnoreWhitespace = true,
    };

    /// <summary>The properties of one packet, or an empty set when it is not well-formed XML (noted in <paramref name="notes"/>).</summary>
    public static Dictionary<string, string> Read(ReadOnlySpan<byte> packet, List<string> notes)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = XmlReader.Create(new StringReader(Encoding.UTF8.GetString(packet).TrimEnd('\0')), Settings);
            // Per open element: the key its text belongs to (null when none), and for list properties the item count.
            var keys = new Stack<(string? Key, string? Property, int Items)>();
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    var (parentKey, property, items) = keys.Count > 0 ? keys.Peek() : (null, null, 0);
                    string? key = null;
                    if (reader.NamespaceURI == Rdf)
                    {
                        if (reader.LocalName == "li" && property is not null)
                        {
                            keys.Pop();
                            keys.Push((parentKey, property, ++items));
                            key = $"{property}[{items}]";
                        }
                        else key = parentKey; // rdf:Description, rdf:Seq, rdf:Alt, rdf:Bag pass the key through
                    }
                    else if (Prefixes.TryGetValue(reader.NamespaceURI, out var prefix))
                    {
                        // A field of a list item (history entries) or a top-level property.
                        key = parentKey is not null && parentKey.EndsWith(']') ? $"{parentKey}/{prefix}:{reader.LocalName}" : $"{prefix}:{reader.LocalName}";
                    }
                    if (reader.HasAttributes)
                    {
                        var baseKey = key is not null && key.EndsWith(']') ? key + "/" : "";
                        while (reader.MoveToNextAttribute())
                            if (Prefixes.TryGetValue(reader.NamespaceURI, out var p) && reader.Value.Length > 0)
                                properties.TryAdd($"{baseKey}{p}:{reader.LocalName}", reader.Value);
                        reader.MoveToElement();
                    }
                    if (!reader.IsEmptyElement)
                    {
                        var isProperty = key is not null && !key.EndsWith(']') && reader.NamespaceURI != Rdf;
                        keys.Push((key, isProperty ? key : property, 0));
                    }
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && keys.Count > 0 && keys.Peek().Key is { } textKey)
                    properties.TryAdd(textKey, reader.Value.Trim());
                else if (reader.NodeType == XmlNodeType.EndElement && keys.Count > 0)
                    keys.Pop();
            }
        }
        catch (XmlException e)
        {
            notes.Add("XMP packet is not well-formed XML: " + e.Message);
            properties.Clear();
        }
        return properties;
    }

    /// <summary>APP1 segments that start with the XMP namespace: collects the packet instead of building XmpCore's model.</summary>
    public sealed class JpegSegments : IJpegSegmentMetadataReader
    {
        private static readonly byte[] Preamble = Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0");

        public byte[]? Packet { get; private set; }

        public ICollection<JpegSegmentType> SegmentTypes { get; } = [JpegSegmentType.App1];

        public IReadOnlyList<MetadataExtractor.Directory> ReadJpegSegments(IEnumerable<JpegSegment> segments)
        {
            foreach (var segment in segments)
                if (Packet is null && segment.Bytes.AsSpan().StartsWith(Preamble))
                    Packet = segment.Bytes[Preamble.Length..];
            return [];
        }
    }
}
