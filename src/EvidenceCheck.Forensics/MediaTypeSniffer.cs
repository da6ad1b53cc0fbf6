using System.Text;

namespace EvidenceCheck.Forensics;

/// <summary>
/// The media type a file really is, from its first bytes (magic numbers), never from its name:
/// a file renamed to look like something else is one of the cheapest fabrications.
/// </summary>
public static class MediaTypeSniffer
{
    public const string Email = EvidenceCheck.Core.Signals.Evidence.MediaTypes.Email;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> OleSignature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static ReadOnlySpan<byte> EbmlSignature => [0x1A, 0x45, 0xDF, 0xA3];

    /// <summary>The media type of <paramref name="bytes"/>, or null when no known signature matches.</summary>
    public static string? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4) return null;
        if (bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return "image/jpeg";
        if (bytes.StartsWith(PngSignature)) return "image/png";
        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8)) return "image/gif";
        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8))
        {
            var form = bytes.Slice(8, 4);
            if (form.SequenceEqual("WEBP"u8)) return "image/webp";
            if (form.SequenceEqual("WAVE"u8)) return "audio/wav";
            if (form.SequenceEqual("AVI "u8)) return "video/x-msvideo";
            return null;
        }
        if (bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8)) return "image/tiff";
        if (bytes.StartsWith("BM"u8) && bytes.Length >= 14) return "image/bmp";
        if (bytes.Length >= 12 && bytes.Slice(4, 4).SequenceEqual("ftyp"u8)) return IsoMediaType(bytes);
        if (bytes.StartsWith("%PDF-"u8)) return "application/pdf";
        if (bytes.StartsWith("PK\x03\x04"u8)) return "application/zip";
        if (bytes.StartsWith(OleSignature)) return "application/x-ole-storage";
        if (bytes.StartsWith(EbmlSignature)) return "video/webm";
        if (bytes.StartsWith("ID3"u8) || (bytes[0] == 0xFF && (bytes[1] & 0xE0) == 0xE0)) return "audio/mpeg";
        if (bytes.StartsWith("OggS"u8)) return "audio/ogg";
        if (LooksLikeEmail(bytes)) return Email;
        if (LooksLikeText(bytes)) return "text/plain";
        return null;
    }

    /// <summary>ISO base media files (HEIC, AVIF, MP4, QuickTime) say what they are in their ftyp brands.</summary>
    private static string IsoMediaType(ReadOnlySpan<byte> bytes)
    {
        var brand = Encoding.ASCII.GetString(bytes.Slice(8, 4));
        return brand switch
        {
            "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" => "image/heic",
            "mif1" or "msf1" => "image/heif",
            "avif" or "avis" => "image/avif",
            "qt  " => "video/quicktime",
            _ => "video/mp4",
        };
    }

    private static readonly string[] EmailHeaders =
        ["received", "from", "date", "message-id", "subject", "return-path", "delivered-to", "mime-version", "dkim-signature", "to"];

    /// <summary>
    /// An RFC 5322 message has no magic number: it starts with header fields. At least two known
    /// headers in an unbroken header block is what every real mailbox export has and binary files never do.
    /// </summary>
    private static bool LooksLikeEmail(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 16 * 1024)]);
        var known = 0;
        var first = true;
        foreach (var raw in head.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) break;
            if (first && line.StartsWith("From ", StringComparison.Ordinal)) { first = false; continue; } // mbox separator
            first = false;
            if (line[0] is ' ' or '\t') continue; // folded continuation
            var colon = line.IndexOf(':');
            if (colon <= 0) return false;
            var name = line[..colon];
            foreach (var c in name)
                if (c <= ' ' || c >= 127) return false;
            if (Array.IndexOf(EmailHeaders, name.ToLowerInvariant()) >= 0) known++;
        }
        return known >= 2;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 8 * 1024)];
        if (sample.Contains((byte)0)) return false;
        // A multi-byte character cut at the sample's end is not a reason to call the file binary.
        var cut = sample.Length;
        while (cut > 0 && sample.Length - cut < 3 && (sample[cut - 1] & 0xC0) == 0x80) cut--;
        if (cut > 0 && sample[cut - 1] >= 0xC0) cut--;
        return System.Text.Unicode.Utf8.IsValid(sample[..cut]);
    }
}
