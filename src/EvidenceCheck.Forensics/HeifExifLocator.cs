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
        // 'ispe' (image spatial extent): 4 bytes version/flags, then width and height. Tiles and
        // thumbnails have their own; the primary (or the grid assembling the tiles) is the largest.
        long bestArea = 0;
        for (var at = span.IndexOf("ispe"u8); at >= 0; )
        {
            if (at + 16 <= span.Length)
            {
                var w = BinaryPrimitives.ReadUInt32BigEndian(span[(at + 8)..]);
                var h = BinaryPrimitives.ReadUInt32BigEndian(span[(at + 12)..]);
                if (w is > 0 and <= int.MaxValue && h is > 0 and <= int.MaxValue && (long)w * h > bestArea)
                {
                    bestArea = (long)w * h;
                    (facts.PixelWidth, facts.PixelHeight) = ((int)w, (int)h);
                }
            }
            var next = span[(at + 4)..].IndexOf("ispe"u8);
            at = next < 0 ? -1 : at + 4 + next;
        }

        // The Exif item's payload is a 4-byte header offset, "Exif\0\0", then a TIFF header.
        var exif = span.IndexOf("Exif\0\0"u8);
        while (exif >= 0)
        {
            var tiff = exif + 6;
            if (tiff + 8 <= span.Length && (span[tiff..].StartsWith("MM\0*"u8) || span[tiff..].StartsWith("II*\0"u8)))
                return new ExifReader().Extract(new ByteArrayReader(bytes[tiff..]));
            var next = span[(exif + 6)..].IndexOf("Exif\0\0"u8);
            exif = next < 0 ? -1 : exif + 6 + next;
        }
        return [];
    }
}
