using System.Buffers.Binary;
using EvidenceCheck.Core.Evidence;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.IO;
using Directory = MetadataExtractor.Directory;

namespace EvidenceCheck.Forensics;

/// <summary>
/// HEIC/HEIF/AVIF, which MetadataExtractor 2.4 (the newest served) does not open. Only the container
/// is walked here, to find where the Exif item and the image size are; the EXIF block itself is
/// parsed by MetadataExtractor's own <see cref="ExifReader"/>.
/// </summary>
internal static class HeifExifLocator
{
    public static IReadOnlyList<Directory> Read(byte[] bytes, EvidenceFacts facts)
    {
        var span = bytes.AsSpan();
        var meta = MetaBox(span);
        // 'ispe' (image spatial extent): 4 bytes version/flags, then width and height. Tiles and
        // thumbnails have their own; the primary (or the grid assembling the tiles) is the largest.
        long bestArea = 0;
        for (var at = meta.IndexOf("ispe"u8); at >= 0; )
        {
            if (at + 16 <= meta.Length)
            {
                var w = BinaryPrimitives.ReadUInt32BigEndian(meta[(at + 8)..]);
                var h = BinaryPrimitives.ReadUInt32BigEndian(meta[(at + 12)..]);
                if (w is > 0 and <= int.MaxValue && h is > 0 and <= int.MaxValue && (long)w * h > bestArea)
                {
                    bestArea = (long)w * h;
                    (facts.PixelWidth, facts.PixelHeight) = ((int)w, (int)h);
                }
            }
            var next = meta[(at + 4)..].IndexOf("ispe"u8);
            at = next < 0 ? -1 : at + 4 + next;
        }

        // The Exif item's payload is a 4-byte header offset, "Exif\0\0", then a TIFF header.
        var exif = span.IndexOf("Exif\0\0"u8);
        while (exif >= 0)
        {
            var tiff = exif + 6;
            if (tiff + 8 <= span.Length && (span[tiff..].StartsWith("MM\0*"u8) || span[tiff..].StartsWith("II*\0"u8)))
                return new ExifReader().Extract(new ByteArrayReader(bytes, tiff));
            var next = span[(exif + 6)..].IndexOf("Exif\0\0"u8);
            exif = next < 0 ? -1 : exif + 6 + next;
        }
        return [];
    }

    /// <summary>
    /// The top-level 'meta' box, where item properties (and so every 'ispe') live; the whole file
    /// when the top-level box chain does not parse. Keeps the search off the coded image data.
    /// </summary>
    private static ReadOnlySpan<byte> MetaBox(ReadOnlySpan<byte> file)
    {
        long at = 0;
        while (at + 8 <= file.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file[(int)at..]);
            var header = 8;
            if (size == 1 && at + 16 <= file.Length) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(file[(int)(at + 8)..]); header = 16; }
            else if (size == 0) size = file.Length - at;
            if (size < header || at + size > file.Length) break;
            if (file.Slice((int)at + 4, 4).SequenceEqual("meta"u8)) return file.Slice((int)at, (int)size);
            at += size;
        }
        return file;
    }
}
