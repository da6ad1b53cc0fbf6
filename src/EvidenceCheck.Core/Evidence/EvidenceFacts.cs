namespace EvidenceCheck.Core.Evidence;

/// <summary>Where a fact about an evidence item came from.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter), typeof(Newtonsoft.Json.Serialization.CamelCaseNamingStrategy))]
public enum FactSource
{
    /// <summary>Nothing to read: no file and no caller metadata.</summary>
    None,
    /// <summary>Read from the file's own bytes by EvidenceCheck.</summary>
    File,
    /// <summary>Taken from the caller's already-extracted <c>metadata</c>, unverified.</summary>
    CallerMetadata,
}

/// <summary>
/// What EvidenceCheck knows about one evidence item, normalised so detectors never parse files.
/// Every field is nullable: null is "not recorded", never "false". Filled by an
/// <see cref="IEvidenceInspector"/> — from the bytes (Forensics) or from caller metadata.
/// </summary>
public sealed class EvidenceFacts
{
    public int Index { get; set; }
    public string? EvidenceId { get; set; }
    public string? Kind { get; set; }
    public FactSource Source { get; set; }
    /// <summary>False when the file could not be read; <see cref="UnreadableReason"/> says why.</summary>
    public bool Readable { get; set; } = true;
    public string? UnreadableReason { get; set; }

    // --- The file as a whole
    public string? DeclaredMediaType { get; set; }
    public string? DeclaredFileName { get; set; }
    /// <summary>Media type from the file's magic number, e.g. image/jpeg.</summary>
    public string? DetectedMediaType { get; set; }
    public string? DeclaredSha256 { get; set; }
    public string? ComputedSha256 { get; set; }
    public long? SizeBytes { get; set; }
    /// <summary>The caller's <c>sizeBytes</c>, kept apart from <see cref="SizeBytes"/> when the file itself was measured.</summary>
    public long? DeclaredSizeBytes { get; set; }
    public DateTimeOffset? ClaimedCapturedAt { get; set; }

    // --- Images
    /// <summary>Capture time as recorded (EXIF DateTimeOriginal and the like): local wall-clock time.</summary>
    public DateTime? CapturedLocal { get; set; }
    /// <summary>Offset recorded with the capture time (OffsetTimeOriginal…), when there is one.</summary>
    [Newtonsoft.Json.JsonConverter(typeof(UtcOffsetJsonConverter))]
    public TimeSpan? CapturedOffset { get; set; }
    public DateTime? DigitizedLocal { get; set; }
    [Newtonsoft.Json.JsonConverter(typeof(UtcOffsetJsonConverter))]
    public TimeSpan? DigitizedOffset { get; set; }
    /// <summary>Last change as recorded in the file (EXIF DateTime, XMP ModifyDate): local wall-clock time.</summary>
    public DateTime? ModifiedLocal { get; set; }
    [Newtonsoft.Json.JsonConverter(typeof(UtcOffsetJsonConverter))]
    public TimeSpan? ModifiedOffset { get; set; }
    /// <summary>When the encoder says it wrote the file (PNG tIME, UTC by the PNG spec); a re-save sets it anew.</summary>
    public DateTimeOffset? EncodedAt { get; set; }
    /// <summary>Capture time with a known offset (from the file, or a GPS timestamp in UTC).</summary>
    public DateTimeOffset? CapturedAt => CapturedLocal is { } l && CapturedOffset is { } o ? new DateTimeOffset(l, o) : null;
    public string? Software { get; set; }
    public string? CreatorTool { get; set; }
    /// <summary>XMP history / Photoshop document history entries, oldest first.</summary>
    public List<string>? History { get; set; }
    public string? Make { get; set; }
    public string? Model { get; set; }
    public int? PixelWidth { get; set; }
    public int? PixelHeight { get; set; }
    /// <summary>Size the EXIF block claims (ExifImageWidth/Height), which a re-save usually leaves stale.</summary>
    public int? ExifWidth { get; set; }
    public int? ExifHeight { get; set; }
    public bool? HasThumbnail { get; set; }
    /// <summary>Length of the embedded EXIF thumbnail, in bytes.</summary>
    public int? ThumbnailBytes { get; set; }
    public int? ThumbnailWidth { get; set; }
    public int? ThumbnailHeight { get; set; }
    public double? GpsLatitude { get; set; }
    public double? GpsLongitude { get; set; }
    public DateTimeOffset? GpsTime { get; set; }
    /// <summary>What marks the image as a screenshot (e.g. PNG "Software: gnome-screenshot", XMP UserComment "Screenshot").</summary>
    public string? ScreenshotMarker { get; set; }
    /// <summary>True when the file carries no capture metadata at all (no EXIF/XMP times, make or model).</summary>
    public bool? MetadataStripped { get; set; }

    // --- Emails
    public DateTimeOffset? EmailDate { get; set; }
    public string? EmailFrom { get; set; }
    public string? EmailFromDomain { get; set; }
    public string? MessageIdDomain { get; set; }
    /// <summary>Timestamps of the Received headers, from the first hop (bottom) to the last (top).</summary>
    public List<DateTimeOffset>? ReceivedTimes { get; set; }
    public string? DkimDomain { get; set; }
    public string? DkimSelector { get; set; }
    public DateTimeOffset? DkimTimestamp { get; set; }
    /// <summary>pass | fail | unknown (no key available: never read as forged) | none (not signed).</summary>
    public string? DkimResult { get; set; }
    public string? DkimDetail { get; set; }
    /// <summary>What an Authentication-Results header inside the message claims; written by whoever handled the message, so never trusted.</summary>
    public string? ClaimedAuthenticationResults { get; set; }
    public string? EmailSubject { get; set; }

    /// <summary>Things worth telling a reviewer that are not signals themselves (e.g. caller metadata overridden by the file).</summary>
    public List<string> Notes { get; set; } = [];
}

/// <summary>Turns one evidence item of a report into facts. A failing file must yield an unreadable fact, never throw.</summary>
public interface IEvidenceInspector
{
    EvidenceFacts Inspect(Contract.Evidence evidence, int index);
}

/// <summary>Writes a UTC offset the way EXIF and RFC 3339 spell it (<c>+08:00</c>), not as a duration.</summary>
public sealed class UtcOffsetJsonConverter : Newtonsoft.Json.JsonConverter<TimeSpan?>
{
    public override void WriteJson(Newtonsoft.Json.JsonWriter writer, TimeSpan? value, Newtonsoft.Json.JsonSerializer serializer)
    {
        if (value is not { } o) { writer.WriteNull(); return; }
        writer.WriteValue((o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    public override TimeSpan? ReadJson(Newtonsoft.Json.JsonReader reader, Type objectType, TimeSpan? existingValue, bool hasExistingValue, Newtonsoft.Json.JsonSerializer serializer) =>
        reader.Value is string s ? CallerMetadataInspector.TryOffset(s) : null;
}
