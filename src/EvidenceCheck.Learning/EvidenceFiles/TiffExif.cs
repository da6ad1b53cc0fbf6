using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EvidenceCheck.Learning.EvidenceFiles;

/// <summary>
/// What a simulated image says about itself in EXIF. Null fields are left out of the file, as a
/// camera or screenshot tool that does not write them would.
/// </summary>
public sealed record ExifFields
{
    public string? Make { get; init; }
    public string? Model { get; init; }
    public string? Software { get; init; }
    /// <summary>IFD0 DateTime: when the file was last written (an editor updates it).</summary>
    public DateTime? ModifiedLocal { get; init; }
    /// <summary>Exif DateTimeOriginal: local wall-clock time of capture.</summary>
    public DateTime? CapturedLocal { get; init; }
    /// <summary>Exif OffsetTimeOriginal, e.g. +08:00; null = the device did not record its zone.</summary>
    public TimeSpan? CapturedOffset { get; init; }
    public int? PixelWidth { get; init; }
    public int? PixelHeight { get; init; }
}

/// <summary>
/// Builds a little-endian TIFF structure holding IFD0 (Make, Model, Software, DateTime) and an Exif
/// sub-IFD (ExifVersion, DateTimeOriginal, DateTimeDigitized, OffsetTimeOriginal, PixelX/YDimension):
/// the body of a JPEG APP1 "Exif" segment and of a PNG eXIf chunk.
/// </summary>
public static class TiffExif
{
    private const ushort Ascii = 2, Long = 4, Undefined = 7;

    public static byte[] Build(ExifFields f)
    {
        var ifd0 = new List<(ushort Tag, ushort Type, byte[] Data)>();
        if (f.Make is { } make) ifd0.Add((0x010F, Ascii, AsciiZ(make)));
        if (f.Model is { } model) ifd0.Add((0x0110, Ascii, AsciiZ(model)));
        if (f.Software is { } software) ifd0.Add((0x0131, Ascii, AsciiZ(software)));
        if (f.ModifiedLocal is { } modified) ifd0.Add((0x0132, Ascii, AsciiZ(ExifTime(modified))));

        var exif = new List<(ushort Tag, ushort Type, byte[] Data)> { (0x9000, Undefined, "0232"u8.ToArray()) };
        if (f.CapturedLocal is { } captured)
        {
            exif.Add((0x9003, Ascii, AsciiZ(ExifTime(captured))));
            exif.Add((0x9004, Ascii, AsciiZ(ExifTime(captured))));
        }
        if (f.CapturedOffset is { } offset) exif.Add((0x9011, Ascii, AsciiZ(OffsetText(offset))));
        if (f.PixelWidth is { } w) exif.Add((0xA002, Long, UInt32(w)));
        if (f.PixelHeight is { } h) exif.Add((0xA003, Long, UInt32(h)));

        // Layout: header (8) | IFD0 | IFD0 overflow data | Exif IFD | Exif overflow data.
        const int header = 8;
        var ifd0Size = IfdSize(ifd0.Count + 1);
        var ifd0Overflow = ifd0.Sum(e => Overflow(e.Data));
        var exifOffset = header + ifd0Size + ifd0Overflow;
        ifd0.Add((0x8769, Long, UInt32(exifOffset)));

        using var ms = new MemoryStream();
        ms.Write("II*\0"u8);
        ms.Write(UInt32(header));
        WriteIfd(ms, ifd0, header);
        WriteIfd(ms, exif, exifOffset);
        return ms.ToArray();
    }

    public static string ExifTime(DateTime t) => t.ToString("yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string OffsetText(TimeSpan o) =>
        (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static int IfdSize(int entries) => 2 + entries * 12 + 4;
    private static int Overflow(byte[] data) => data.Length > 4 ? data.Length + (data.Length & 1) : 0;

    private static void WriteIfd(MemoryStream ms, List<(ushort Tag, ushort Type, byte[] Data)> entries, int ifdOffset)
    {
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag)); // TIFF requires ascending tags
        var dataOffset = ifdOffset + IfdSize(entries.Count);
        var overflow = new MemoryStream();
        ms.Write(UInt16((ushort)entries.Count));
        foreach (var (tag, type, data) in entries)
        {
            ms.Write(UInt16(tag));
            ms.Write(UInt16(type));
            ms.Write(UInt32(type == Long ? data.Length / 4 : data.Length));
            if (data.Length <= 4)
            {
                var inline = new byte[4];
                data.CopyTo(inline, 0);
                ms.Write(inline);
            }
            else
            {
                ms.Write(UInt32(dataOffset + (int)overflow.Length));
                overflow.Write(data);
                if ((data.Length & 1) == 1) overflow.WriteByte(0); // word alignment
            }
        }
        ms.Write(UInt32(0)); // no next IFD
        overflow.Position = 0;
        overflow.CopyTo(ms);
    }

    private static byte[] AsciiZ(string s) => Encoding.ASCII.GetBytes(s + "\0");

    private static byte[] UInt16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    private static byte[] UInt32(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)v);
        return b;
    }
}
