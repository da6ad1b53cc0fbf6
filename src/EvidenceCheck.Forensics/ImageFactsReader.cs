using System.Globalization;
using EvidenceCheck.Core.Evidence;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.WebP;
using MetadataExtractor.Formats.Xmp;
using MetadataExtractor.IO;
using Directory = MetadataExtractor.Directory;

namespace EvidenceCheck.Forensics;

/// <summary>
/// Image facts through MetadataExtractor: capture, digitised and modify times with their offsets,
/// software and XMP history, make and model, the pixel size the header really has against the
/// one EXIF claims, thumbnail, GPS and screenshot markers. Headers only: no pixel is decoded.
/// </summary>
internal static class ImageFactsReader
{
    // EXIF 2.31 offset tags, not named in MetadataExtractor 2.4.
    private const int TagOffsetTime = 0x9010, TagOffsetTimeOriginal = 0x9011, TagOffsetTimeDigitized = 0x9012;

    /// <summary>Screenshot tools that name themselves in a PNG's Software text; their output is a screenshot by construction.</summary>
    private static readonly string[] ScreenshotTools =
        ["gnome-screenshot", "spectacle", "flameshot", "greenshot", "sharex", "snipping tool", "screenshot", "ksnapshot", "xfce4-screenshooter", "lightshot", "screencapture"];

    public static void Read(byte[] bytes, string mediaType, EvidenceFacts facts)
    {
        byte[]? xmpPacket = null;
        IReadOnlyList<Directory> directories;
        switch (mediaType)
        {
            case "image/heic" or "image/heif" or "image/avif":
                directories = HeifExifLocator.Read(bytes, facts);
                break;
            case "image/jpeg":
                // Only the segment readers whose facts are used: Huffman tables, ICC and IPTC cost time and say nothing here.
                var xmpSegments = new XmpPropertyReader.JpegSegments();
                directories = JpegMetadataReader.ReadMetadata(JpegHeaders(bytes), [new JpegReader(), new ExifReader(), xmpSegments]);
                xmpPacket = xmpSegments.Packet;
                break;
            case "image/png":
                directories = ImageMetadataReader.ReadMetadata(PngWithoutImageData(bytes, out xmpPacket, out var rawExif));
                // GIMP and ImageMagick store EXIF in PNG as a hex "Raw profile", which MetadataExtractor 2.4 does not open.
                if (rawExif is not null && !directories.OfType<ExifIfd0Directory>().Any())
                    directories = [.. directories, .. new ExifReader().Extract(new ByteArrayReader(rawExif))];
                break;
            default:
                directories = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes, writable: false));
                break;
        }
        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var sub = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();
        var thumb = directories.OfType<ExifThumbnailDirectory>().FirstOrDefault();
        var xmp = xmpPacket is not null ? XmpPropertyReader.Read(xmpPacket, facts.Notes)
            : directories.OfType<XmpDirectory>().FirstOrDefault()?.GetXmpProperties() ?? new Dictionary<string, string>();
        var pngText = directories.OfType<PngDirectory>()
            .Where(d => d.ContainsTag(PngDirectory.TagTextualData))
            .SelectMany(d => d.GetObject(PngDirectory.TagTextualData) as IEnumerable<MetadataExtractor.KeyValuePair> ?? [])
            .GroupBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value.ToString(), StringComparer.OrdinalIgnoreCase);

        // --- Decoded size: from the image header itself (SOF, IHDR, VP8 frame), which a re-save rewrites.
        (facts.PixelWidth, facts.PixelHeight) = mediaType switch
        {
            "image/jpeg" => Size<JpegDirectory>(directories, JpegDirectory.TagImageWidth, JpegDirectory.TagImageHeight),
            "image/png" => Size<PngDirectory>(directories, PngDirectory.TagImageWidth, PngDirectory.TagImageHeight),
            "image/webp" => Size<WebPDirectory>(directories, WebPDirectory.TagImageWidth, WebPDirectory.TagImageHeight),
            "image/tiff" => (Int(ifd0, ExifDirectoryBase.TagImageWidth), Int(ifd0, ExifDirectoryBase.TagImageHeight)),
            _ => (facts.PixelWidth, facts.PixelHeight),
        };
        facts.ExifWidth = Int(sub, ExifDirectoryBase.TagExifImageWidth);
        facts.ExifHeight = Int(sub, ExifDirectoryBase.TagExifImageHeight);

        // --- Times: EXIF first (what the camera wrote), XMP where EXIF is silent.
        var (captured, capturedOffset) = (LocalTime(sub, ExifDirectoryBase.TagDateTimeOriginal), Offset(sub, TagOffsetTimeOriginal));
        if (captured is null && XmpTime(xmp, "exif:DateTimeOriginal", "photoshop:DateCreated", "xmp:CreateDate") is { } x)
            (captured, capturedOffset) = x;
        if (captured is null && pngText.GetValueOrDefault("Creation Time") is { } creation && ParseLoose(creation) is { } c)
            (captured, capturedOffset) = c;
        facts.CapturedLocal = captured;
        facts.CapturedOffset = capturedOffset;
        facts.DigitizedLocal = LocalTime(sub, ExifDirectoryBase.TagDateTimeDigitized)
            ?? XmpTime(xmp, "exif:DateTimeDigitized")?.Local;
        facts.ModifiedLocal = LocalTime(ifd0, ExifDirectoryBase.TagDateTime) ?? XmpTime(xmp, "xmp:ModifyDate")?.Local;
        facts.ModifiedOffset = Offset(sub, TagOffsetTime) ?? (facts.ModifiedLocal is null ? null : XmpTime(xmp, "xmp:ModifyDate")?.Offset);
        if (facts.DigitizedLocal is not null && Offset(sub, TagOffsetTimeDigitized) is { } dOff) facts.DigitizedOffset = dOff;
        var pngTime = directories.OfType<PngDirectory>().FirstOrDefault(d => d.ContainsTag(PngDirectory.TagLastModificationTime));
        if (pngTime is not null && pngTime.TryGetDateTime(PngDirectory.TagLastModificationTime, out var written))
            facts.EncodedAt = new DateTimeOffset(DateTime.SpecifyKind(written, DateTimeKind.Unspecified), TimeSpan.Zero); // tIME is UTC by the PNG spec

        // --- Who made or touched it.
        facts.Make = Text(ifd0, ExifDirectoryBase.TagMake) ?? Xmp(xmp, "tiff:Make");
        facts.Model = Text(ifd0, ExifDirectoryBase.TagModel) ?? Xmp(xmp, "tiff:Model");
        facts.Software = Text(ifd0, ExifDirectoryBase.TagSoftware) ?? (pngText.TryGetValue("Software", out var sw) ? Clean(sw) : null) ?? Xmp(xmp, "tiff:Software");
        facts.CreatorTool = Xmp(xmp, "xmp:CreatorTool");
        facts.History = XmpHistory(xmp);

        // --- Thumbnail, GPS.
        if (ifd0 is not null || sub is not null)
        {
            facts.HasThumbnail = thumb is not null && thumb.ContainsTag(ExifThumbnailDirectory.TagThumbnailLength);
            if (facts.HasThumbnail == true)
            {
                facts.ThumbnailBytes = Int(thumb, ExifThumbnailDirectory.TagThumbnailLength);
                // A damaged thumbnail is a note, not a reason to lose the main image's facts.
                try { if (mediaType == "image/jpeg") (facts.ThumbnailWidth, facts.ThumbnailHeight) = ThumbnailSize(bytes, thumb!); }
                catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException) { facts.Notes.Add("The EXIF thumbnail could not be read: " + e.Message); }
            }
        }
        if (gps?.GetGeoLocation() is { IsZero: false } where)
        {
            facts.GpsLatitude = Math.Round(where.Latitude, 6);
            facts.GpsLongitude = Math.Round(where.Longitude, 6);
        }
        if (gps is not null && gps.TryGetGpsDate(out var gpsUtc))
            facts.GpsTime = new DateTimeOffset(DateTime.SpecifyKind(gpsUtc, DateTimeKind.Unspecified), TimeSpan.Zero);

        facts.ScreenshotMarker = ScreenshotMarker(sub, xmp, pngText, facts.Software);
        facts.MetadataStripped = facts.CapturedLocal is null && facts.ModifiedLocal is null && facts.DigitizedLocal is null
            && facts.Make is null && facts.Model is null && facts.Software is null && facts.CreatorTool is null && xmp.Count == 0;

        foreach (var d in directories)
            foreach (var error in d.Errors)
                facts.Notes.Add($"{d.Name}: {error}");
    }

    /// <summary>
    /// A PNG without its IDAT chunks: MetadataExtractor 2.4 reads every chunk's bytes, pixel data
    /// included, and metadata chunks are all that is wanted. The XMP packet (iTXt "XML:com.adobe.xmp")
    /// is taken out for <see cref="XmpPropertyReader"/>. Falls back to the whole file when the chunk
    /// chain does not parse.
    /// </summary>
    private static MemoryStream PngWithoutImageData(byte[] bytes, out byte[]? xmpPacket, out byte[]? rawExif)
    {
        xmpPacket = null;
        rawExif = null;
        var kept = new MemoryStream(4096);
        kept.Write(bytes, 0, 8);
        var at = 8L;
        while (at + 12 <= bytes.Length)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)at));
            var end = at + 12 + length;
            if (end > bytes.Length) break;
            var type = bytes.AsSpan((int)at + 4, 4);
            var data = bytes.AsSpan((int)at + 8, (int)length);
            if (xmpPacket is null && type.SequenceEqual("iTXt"u8) && data.StartsWith("XML:com.adobe.xmp\0"u8) && ItxtText(data) is { } packet)
                xmpPacket = packet;
            else if (rawExif is null && type.SequenceEqual("zTXt"u8) && data.StartsWith("Raw profile type exif\0"u8))
                rawExif = RawProfileTiff(Inflate(data["Raw profile type exif\0"u8.Length..][1..]));
            else if (!type.SequenceEqual("IDAT"u8))
                kept.Write(bytes, (int)at, (int)(end - at));
            if (bytes.AsSpan((int)at + 4, 4).SequenceEqual("IEND"u8))
            {
                kept.Position = 0;
                return kept;
            }
            at = end;
        }
        return new MemoryStream(bytes, writable: false);
    }

    /// <summary>The text of an iTXt chunk: keyword, compression flag and method, language, translated keyword, text (zlib when flagged).</summary>
    private static byte[]? ItxtText(ReadOnlySpan<byte> data)
    {
        var keywordEnd = data.IndexOf((byte)0);
        if (keywordEnd < 0 || keywordEnd + 3 > data.Length) return null;
        var compressed = data[keywordEnd + 1] == 1;
        var rest = data[(keywordEnd + 3)..];
        var languageEnd = rest.IndexOf((byte)0);
        if (languageEnd < 0) return null;
        rest = rest[(languageEnd + 1)..];
        var translatedEnd = rest.IndexOf((byte)0);
        if (translatedEnd < 0) return null;
        var text = rest[(translatedEnd + 1)..];
        return compressed ? Inflate(text) : text.ToArray();
    }

    /// <summary>zlib data, inflated to at most 1 MiB: a few KB of metadata never needs more, and a zlib bomb must not get more.</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> compressed)
    {
        using var inflate = new System.IO.Compression.ZLibStream(new MemoryStream(compressed.ToArray()), System.IO.Compression.CompressionMode.Decompress);
        var buffer = new byte[1 << 20];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = inflate.Read(buffer, read, buffer.Length - read)) > 0) read += n;
        return buffer[..read];
    }

    /// <summary>
    /// ImageMagick's "Raw profile" text: a newline, the profile name, its length, then the bytes in
    /// hex. For EXIF the bytes are "Exif\0\0" and a TIFF block, which MetadataExtractor parses.
    /// </summary>
    private static byte[]? RawProfileTiff(byte[] text)
    {
        var s = System.Text.Encoding.ASCII.GetString(text);
        var lines = s.Split('\n', 4, StringSplitOptions.TrimEntries);
        if (lines.Length < 4) return null;
        var hex = string.Concat(lines[3].Where(char.IsAsciiHexDigit));
        if (hex.Length % 2 == 1) hex = hex[..^1];
        var raw = Convert.FromHexString(hex);
        var tiff = raw.AsSpan().StartsWith("Exif\0\0"u8) ? raw[6..] : raw;
        return tiff.Length >= 8 ? tiff : null;
    }

    /// <summary>
    /// The pixel size of a JPEG's EXIF thumbnail, from the thumbnail's own frame header. Editors that
    /// crop often keep the camera's thumbnail, so a reviewer can open it to see the original frame.
    /// (Not a signal: many cameras letterbox every thumbnail to 160×120 whatever the photo's shape.)
    /// The thumbnail offset counts from the TIFF header inside the first "Exif" APP1 segment.
    /// </summary>
    private static (int?, int?) ThumbnailSize(byte[] bytes, ExifThumbnailDirectory thumb)
    {
        if (Int(thumb, ExifThumbnailDirectory.TagThumbnailOffset) is not { } offset || Int(thumb, ExifThumbnailDirectory.TagThumbnailLength) is not { } length
            || offset < 0 || length <= 0)
            return (null, null);
        var at = 2;
        while (at + 10 <= bytes.Length && bytes[at] == 0xFF && bytes[at + 1] is not 0xDA)
        {
            var segmentLength = (bytes[at + 2] << 8) | bytes[at + 3];
            if (segmentLength < 2) break;
            if (bytes[at + 1] == 0xE1 && bytes.AsSpan(at + 4).StartsWith("Exif\0\0"u8))
            {
                var start = (long)at + 10 + offset;
                if (start + length > bytes.Length) return (null, null);
                var frame = JpegMetadataReader.ReadMetadata(new MemoryStream(bytes, (int)start, length, writable: false), [new JpegReader()])
                    .OfType<JpegDirectory>().FirstOrDefault();
                return (Int(frame, JpegDirectory.TagImageWidth), Int(frame, JpegDirectory.TagImageHeight));
            }
            at += 2 + segmentLength;
        }
        return (null, null);
    }

    /// <summary>
    /// A JPEG's segments up to its first scan, where all of its metadata lives. MetadataExtractor 2.4
    /// otherwise walks the entropy-coded pixel data looking for markers, which costs as much as the
    /// file is long; stopping at the scan keeps inspection at header cost. Falls back to the whole
    /// file when the segment chain does not parse, so a damaged file is judged by the real parser.
    /// </summary>
    private static MemoryStream JpegHeaders(byte[] bytes)
    {
        var at = 2;
        while (at + 4 <= bytes.Length && bytes[at] == 0xFF)
        {
            var marker = bytes[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; } // markers without a length
            var length = (bytes[at + 2] << 8) | bytes[at + 3];
            if (length < 2) break;
            var end = at + 2 + length;
            if (end > bytes.Length) break;
            if (marker == 0xDA)
            {
                // Keep the scan header, then end the image: everything the parser wants is before this point.
                var headers = new byte[end + 2];
                Buffer.BlockCopy(bytes, 0, headers, 0, end);
                headers[end] = 0xFF;
                headers[end + 1] = 0xD9;
                return new MemoryStream(headers, writable: false);
            }
            at = end;
        }
        return new MemoryStream(bytes, writable: false);
    }

    private static (int?, int?) Size<T>(IEnumerable<Directory> directories, int widthTag, int heightTag) where T : Directory
    {
        var d = directories.OfType<T>().FirstOrDefault(x => x.ContainsTag(widthTag));
        return (Int(d, widthTag), Int(d, heightTag));
    }

    private static int? Int(Directory? d, int tag) => d is not null && d.TryGetInt32(tag, out var v) ? v : null;

    private static string? Text(Directory? d, int tag) => d is null ? null : Clean(d.GetString(tag));

    private static string? Clean(string? s)
    {
        s = s?.Trim('\0', ' ', '\t', '\r', '\n');
        return string.IsNullOrEmpty(s) ? null : s;
    }

    private static readonly string[] ExifTimeFormats = ["yyyy:MM:dd HH:mm:ss", "yyyy:MM:dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy:MM:dd HH:mm:ss.FFFFFF"];

    /// <summary>An EXIF wall-clock time, as written: no offset and no guess at one.</summary>
    private static DateTime? LocalTime(Directory? d, int tag)
    {
        if (Text(d, tag) is not { } s) return null;
        // Cameras with an unset clock write all zeros or blanks: that is "not recorded", not year 1.
        if (s.StartsWith("0000", StringComparison.Ordinal)) return null;
        return DateTime.TryParseExact(s, ExifTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }

    private static TimeSpan? Offset(Directory? d, int tag) =>
        Text(d, tag) is { } s ? CallerMetadataInspector.TryOffset(s) : null;

    private static string? Xmp(IDictionary<string, string> xmp, string key) =>
        xmp.TryGetValue(key, out var v) ? Clean(v) : null;

    /// <summary>XMP dates are ISO 8601 and often carry their offset, which EXIF 2.2 could not.</summary>
    private static (DateTime Local, TimeSpan? Offset)? XmpTime(IDictionary<string, string> xmp, params string[] keys)
    {
        foreach (var key in keys)
            if (Xmp(xmp, key) is { } s && ParseLoose(s) is { } t) return t;
        return null;
    }

    private static (DateTime Local, TimeSpan? Offset)? ParseLoose(string s)
    {
        s = s.Trim();
        var hasOffset = s.EndsWith('Z') || (s.Length > 6 && (s[^6] is '+' or '-') && s[^3] == ':');
        if (hasOffset && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            return (withOffset.DateTime, withOffset.Offset);
        // exiftool and others write EXIF-style dates with an offset: "2020:07:09 18:43:20+00:00".
        var offsetLength = s.EndsWith('Z') ? 1 : 6;
        if (hasOffset && CallerMetadataInspector.TryLocal(s[..^offsetLength]) is { } exifStyle && CallerMetadataInspector.TryOffset(s[^offsetLength..]) is { } exifOffset)
            return (exifStyle, exifOffset);
        if (CallerMetadataInspector.TryLocal(s) is { } local) return (local, null);
        // PNG "Creation Time" is free text; RFC 1123 is what most encoders write there.
        if (DateTimeOffset.TryParseExact(s, "r", CultureInfo.InvariantCulture, DateTimeStyles.None, out var rfc)) return (rfc.DateTime, rfc.Offset);
        return null;
    }

    /// <summary>XMP-MM history, oldest first, as "action by agent at when".</summary>
    private static List<string>? XmpHistory(IDictionary<string, string> xmp)
    {
        var entries = new List<string>();
        for (var i = 1; i <= 64; i++)
        {
            var prefix = $"xmpMM:History[{i}]/stEvt:";
            var action = Xmp(xmp, prefix + "action");
            var agent = Xmp(xmp, prefix + "softwareAgent");
            var when = Xmp(xmp, prefix + "when");
            if (action is null && agent is null && when is null) break;
            entries.Add(string.Join(' ', new[] { action ?? "?", agent is null ? null : "by " + agent, when is null ? null : "at " + when }.Where(p => p is not null)));
        }
        return entries.Count > 0 ? entries : null;
    }

    private static string? ScreenshotMarker(ExifSubIfdDirectory? sub, IDictionary<string, string> xmp, Dictionary<string, string> pngText, string? software)
    {
        // iOS and macOS write "Screenshot" as the user comment of every screenshot.
        // UserComment is stored with a character-set prefix; the description is the decoded text.
        if (Clean(sub?.GetDescription(ExifDirectoryBase.TagUserComment)) is { } uc && uc.Contains("Screenshot", StringComparison.OrdinalIgnoreCase))
            return "EXIF UserComment: " + uc;
        foreach (var (key, value) in xmp)
            if (key.StartsWith("exif:UserComment", StringComparison.Ordinal) && value.Contains("Screenshot", StringComparison.OrdinalIgnoreCase))
                return "XMP UserComment: " + value;
        if (software is not null && ScreenshotTools.Any(t => software.Contains(t, StringComparison.OrdinalIgnoreCase)))
            return "Software: " + software;
        foreach (var key in new[] { "Description", "Comment", "Title" })
            if (pngText.TryGetValue(key, out var v) && v.Contains("Screenshot", StringComparison.OrdinalIgnoreCase))
                return $"PNG {key}: {v}";
        return null;
    }
}
