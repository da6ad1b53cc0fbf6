using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EvidenceCheck.Learning.EvidenceFiles;

/// <summary>Text chunks a screenshot tool or an editor writes into a PNG.</summary>
public sealed record PngText
{
    /// <summary>tEXt "Software", e.g. gnome-screenshot, or Adobe Photoshop after an edit.</summary>
    public string? Software { get; init; }
    /// <summary>tEXt "Creation Time" (RFC 1123 text, as the PNG spec suggests).</summary>
    public DateTimeOffset? CreationTime { get; init; }
    /// <summary>iTXt XMP packet: xmp:CreateDate / xmp:ModifyDate / xmp:CreatorTool.</summary>
    public DateTimeOffset? XmpCreateDate { get; init; }
    public DateTimeOffset? XmpModifyDate { get; init; }
    public string? XmpCreatorTool { get; init; }
    /// <summary>XMP exif:UserComment, where macOS writes "Screenshot".</summary>
    public string? XmpUserComment { get; init; }
}

/// <summary>
/// Writes a real, small PNG (8-bit RGB, a flat colour with a band so files differ) with the
/// metadata chunks forensics read: tEXt, iTXt (XMP) and eXIf.
/// </summary>
public static class PngFile
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Write(int width, int height, (byte R, byte G, byte B) colour, PngText? text = null, ExifFields? exif = null)
    {
        using var ms = new MemoryStream();
        ms.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        WriteChunk(ms, "IHDR", ihdr);
        if (text is not null)
        {
            if (text.Software is { } software) WriteChunk(ms, "tEXt", Latin1("Software", software));
            if (text.CreationTime is { } created) WriteChunk(ms, "tEXt", Latin1("Creation Time", created.ToString("r")));
            if (Xmp(text) is { } xmp) WriteChunk(ms, "iTXt", International("XML:com.adobe.xmp", xmp));
        }
        if (exif is not null) WriteChunk(ms, "eXIf", TiffExif.Build(exif));
        WriteChunk(ms, "IDAT", Pixels(width, height, colour));
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static byte[] Pixels(int width, int height, (byte R, byte G, byte B) c)
    {
        var raw = new byte[height * (1 + width * 3)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + width * 3);
            raw[row] = 0; // filter: none
            var band = y > height / 3 && y < height / 2; // a darker band, like a window title bar
            for (var x = 0; x < width; x++)
            {
                var p = row + 1 + x * 3;
                raw[p] = band ? (byte)(c.R / 2) : c.R;
                raw[p + 1] = band ? (byte)(c.G / 2) : c.G;
                raw[p + 2] = band ? (byte)(c.B / 2) : c.B;
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        return compressed.ToArray();
    }

    private static string? Xmp(PngText t)
    {
        if (t.XmpCreateDate is null && t.XmpModifyDate is null && t.XmpCreatorTool is null && t.XmpUserComment is null) return null;
        var sb = new StringBuilder();
        sb.Append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">");
        sb.Append("<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:exif=\"http://ns.adobe.com/exif/1.0/\">");
        if (t.XmpCreateDate is { } c) sb.Append($"<xmp:CreateDate>{c:yyyy-MM-dd'T'HH:mm:sszzz}</xmp:CreateDate>");
        if (t.XmpModifyDate is { } m) sb.Append($"<xmp:ModifyDate>{m:yyyy-MM-dd'T'HH:mm:sszzz}</xmp:ModifyDate>");
        if (t.XmpCreatorTool is { } tool) sb.Append($"<xmp:CreatorTool>{System.Security.SecurityElement.Escape(tool)}</xmp:CreatorTool>");
        if (t.XmpUserComment is { } comment)
            sb.Append($"<exif:UserComment><rdf:Alt><rdf:li xml:lang=\"x-default\">{System.Security.SecurityElement.Escape(comment)}</rdf:li></rdf:Alt></exif:UserComment>");
        sb.Append("</rdf:Description></rdf:RDF></x:xmpmeta>");
        return sb.ToString();
    }

    private static byte[] Latin1(string keyword, string value) =>
        [.. Encoding.Latin1.GetBytes(keyword), 0, .. Encoding.Latin1.GetBytes(value)];

    // iTXt: keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, UTF-8 text.
    private static byte[] International(string keyword, string value) =>
        [.. Encoding.Latin1.GetBytes(keyword), 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(value)];

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = Crc32.Append(Crc32.Append(Crc32.Initial, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }
}

/// <summary>The CRC-32 of PNG chunks (ISO 3309), table-driven.</summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFFFFFFu;
    private static readonly uint[] Table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
