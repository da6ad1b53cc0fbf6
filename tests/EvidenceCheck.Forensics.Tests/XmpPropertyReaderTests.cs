using System.Text;
using MetadataExtractor;
using MetadataExtractor.Formats.Xmp;

namespace EvidenceCheck.Forensics.Tests;

public class XmpPropertyReaderTests
{
    private static readonly string[] UsedKeys =
    [
        "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate", "exif:DateTimeOriginal", "photoshop:DateCreated",
        "xmpMM:History[1]/stEvt:action", "xmpMM:History[1]/stEvt:softwareAgent", "xmpMM:History[1]/stEvt:when",
        "xmpMM:History[2]/stEvt:action", "xmpMM:History[2]/stEvt:softwareAgent", "xmpMM:History[2]/stEvt:when",
    ];

    [Theory]
    [InlineData("photo-resaved.jpg")]
    [InlineData("real-photoshop-export.png")]
    public void Read_GivesWhatXmpCoreGives_ForEveryKeyUsed(string name)
    {
        var bytes = File.ReadAllBytes(Some.File(name));
        var xmpCore = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes)).OfType<XmpDirectory>().Single().GetXmpProperties();
        var ours = Some.Facts(name);

        var expectedHistory = Enumerable.Range(1, 8)
            .Where(i => xmpCore.ContainsKey($"xmpMM:History[{i}]/stEvt:action"))
            .Select(i => $"{xmpCore[$"xmpMM:History[{i}]/stEvt:action"]} by {xmpCore[$"xmpMM:History[{i}]/stEvt:softwareAgent"]}")
            .ToArray();
        Assert.NotEmpty(expectedHistory);
        Assert.Equal(expectedHistory, ours.History!.Select(h => h[..h.IndexOf(" at ", StringComparison.Ordinal)]));
        Assert.Equal(xmpCore["xmp:CreatorTool"], ours.CreatorTool);
        foreach (var key in UsedKeys.Where(xmpCore.ContainsKey))
            Assert.Contains(key, XmpPropertyReader.Read(Packet(bytes), []).Keys);
    }

    [Fact]
    public void Read_PacketWithDtd_IsRefusedWithANote()
    {
        var notes = new List<string>();
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><x>&b;</x>";
        Assert.Empty(XmpPropertyReader.Read(Encoding.UTF8.GetBytes(bomb), notes));
        Assert.Contains(notes, n => n.Contains("not well-formed", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_AttributeAndElementForms_BothRead()
    {
        const string packet = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:e="http://ns.adobe.com/exif/1.0/" xmp:CreatorTool="GIMP 2.10">
                <e:UserComment><rdf:Alt><rdf:li xml:lang="x-default">Screenshot</rdf:li></rdf:Alt></e:UserComment>
              </rdf:Description></rdf:RDF></x:xmpmeta>
            """;
        var p = XmpPropertyReader.Read(Encoding.UTF8.GetBytes(packet), []);
        Assert.Equal("GIMP 2.10", p["xmp:CreatorTool"]);
        Assert.Equal("Screenshot", p["exif:UserComment[1]"]);
    }

    /// <summary>The raw packet, found the simple way for a test: from "&lt;x:xmpmeta" to its end tag.</summary>
    private static byte[] Packet(byte[] file)
    {
        var text = Encoding.Latin1.GetString(file);
        var start = text.IndexOf("<x:xmpmeta", StringComparison.Ordinal);
        var end = text.IndexOf("</x:xmpmeta>", StringComparison.Ordinal) + "</x:xmpmeta>".Length;
        return Encoding.Latin1.GetBytes(text[start..end]);
    }
}
