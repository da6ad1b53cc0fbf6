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
        IReadOnlyList<Directory> directories = mediaType is "image/heic" or "image/heif" or "image/avif"
            ? HeifExifLocator.Read(bytes, facts)
            : ImageMetadataReader.ReadMetadata(new MemoryStream(bytes, writable: false));

        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var sub = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();
        var thumb = directories.OfType<ExifThumbnailDirectory>().FirstOrDefault();
        var xmp = directories.OfType<XmpDirectory>().FirstOrDefault()?.GetXmpProperties() ?? new Dictionary<string, string>();
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
            if (facts.HasThumbnail == true) facts.ThumbnailBytes = Int(thumb, ExifThumbnailDirectory.TagThumbnailLength);
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
