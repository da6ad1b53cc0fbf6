using System.Globalization;

namespace EvidenceCheck.Core.Evidence;

/// <summary>
/// Facts from what the caller already extracted (<c>evidence[].metadata</c>), for platforms that
/// keep files elsewhere. Unverified by construction: detectors see <see cref="FactSource.CallerMetadata"/>.
/// Keys are matched case-insensitively; the README lists them.
/// </summary>
public sealed class CallerMetadataInspector : IEvidenceInspector
{
    public EvidenceFacts Inspect(Contract.Evidence evidence, int index)
    {
        var facts = new EvidenceFacts
        {
            Index = index, EvidenceId = evidence.EvidenceId, Kind = evidence.Kind,
            DeclaredMediaType = evidence.MediaType, DeclaredFileName = evidence.FileName,
            DeclaredSha256 = evidence.Sha256?.ToLowerInvariant(), SizeBytes = evidence.SizeBytes,
            ClaimedCapturedAt = evidence.ClaimedCapturedAt, Source = FactSource.None,
        };
        if (evidence.Metadata is not { Count: > 0 } raw) return facts;
        facts.Source = FactSource.CallerMetadata;
        ApplyMetadata(facts, raw);
        return facts;
    }

    /// <summary>Copies recognised caller metadata into facts (used by file inspectors too, for fields the file lacks).</summary>
    public static void ApplyMetadata(EvidenceFacts facts, IReadOnlyDictionary<string, object?> raw)
    {
        var m = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in raw)
            if (v is not null && Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s) m[k] = s;

        if (Get(m, "dateTimeOriginal", "capturedAt", "createDate") is { } captured)
        {
            if (DateTimeOffset.TryParse(captured, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && HasOffset(captured))
            { facts.CapturedLocal = withOffset.DateTime; facts.CapturedOffset = withOffset.Offset; }
            else if (TryLocal(captured) is { } local) facts.CapturedLocal = local;
        }
        if (Get(m, "offsetTimeOriginal", "offsetTime") is { } offset && TryOffset(offset) is { } o) facts.CapturedOffset ??= o;
        if (Get(m, "dateTimeDigitized") is { } dig) facts.DigitizedLocal = TryLocal(dig);
        if (Get(m, "modifyDate", "dateTime") is { } mod) facts.ModifiedLocal = TryLocal(mod);
        facts.Software ??= Get(m, "software");
        facts.CreatorTool ??= Get(m, "creatorTool");
        facts.Make ??= Get(m, "make");
        facts.Model ??= Get(m, "model");
        facts.PixelWidth ??= Int(Get(m, "imageWidth", "pixelWidth"));
        facts.PixelHeight ??= Int(Get(m, "imageHeight", "pixelHeight"));
        facts.ExifWidth ??= Int(Get(m, "exifImageWidth"));
        facts.ExifHeight ??= Int(Get(m, "exifImageHeight"));
        if (Get(m, "emailDate", "date") is { } date && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) facts.EmailDate ??= d;
        facts.EmailFrom ??= Get(m, "from");
        facts.EmailFromDomain ??= Get(m, "fromDomain") ?? DomainOf(facts.EmailFrom);
        facts.MessageIdDomain ??= Get(m, "messageIdDomain") ?? DomainOf(Get(m, "messageId"));
        facts.DkimDomain ??= Get(m, "dkimDomain");
        // A caller's claim that DKIM passed is not something EvidenceCheck verified.
        if (Get(m, "dkimResult") is { } dkim) facts.Notes.Add($"Caller says DKIM {dkim}; not verified by EvidenceCheck.");
    }

    private static string? Get(Dictionary<string, string> m, params string[] keys)
    {
        foreach (var k in keys) if (m.TryGetValue(k, out var v)) return v;
        return null;
    }

    private static readonly string[] LocalFormats = ["yyyy:MM:dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy:MM:dd HH:mm:ss.FFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    public static DateTime? TryLocal(string s) =>
        DateTime.TryParseExact(s.Trim(), LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    public static TimeSpan? TryOffset(string s)
    {
        s = s.Trim();
        if (s is "Z" or "z") return TimeSpan.Zero;
        if (s.Length == 6 && (s[0] == '+' || s[0] == '-') && TimeSpan.TryParseExact(s[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var t))
            return s[0] == '-' ? -t : t;
        return null;
    }

    private static bool HasOffset(string s) => s.EndsWith('Z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-') && s[^3] == ':');

    private static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    public static string? DomainOf(string? address)
    {
        if (address is null) return null;
        var at = address.LastIndexOf('@');
        if (at < 0) return null;
        return address[(at + 1)..].Trim().TrimEnd('>').Trim().ToLowerInvariant() is { Length: > 0 } d ? d : null;
    }
}
