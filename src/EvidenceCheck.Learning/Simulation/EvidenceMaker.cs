using System.Security.Cryptography;
using EvidenceCheck.Learning.EvidenceFiles;

namespace EvidenceCheck.Learning.Simulation;

/// <summary>
/// Makes evidence items with real file bytes: screenshots (PNG), photos (JPEG with Exif) and emails
/// (RFC 5322), honest or doctored. Times inside files are local wall-clock times, as devices write them.
/// </summary>
internal sealed class EvidenceMaker(Platform p)
{
    private int _evidence;

    public static readonly string[] EditorSoftware =
        ["Adobe Photoshop 21.2 (Windows)", "Adobe Photoshop CC 2019 (Macintosh)", "Adobe Photoshop 22.0 (Windows)", "Adobe Photoshop Express"];

    private static readonly (string Make, string Model, string Software, bool RecordsOffset)[] Phones =
    [
        ("Apple", "iPhone 11", "13.5.1", true), ("Apple", "iPhone XR", "13.4", true), ("Apple", "iPhone 8", "13.5", true),
        ("samsung", "SM-G973F", "G973FXXS7CTF1", true), ("Google", "Pixel 3a", "QQ3A.200605.001", true),
        ("HUAWEI", "ELE-L29", "ELE-L29 10.1.0.150", false), ("Xiaomi", "Redmi Note 8 Pro", "MIUI 11", false),
    ];

    /// <summary>An honest screenshot taken at <paramref name="capturedUtc"/> on the reporter's computer.</summary>
    /// <param name="stripped">The platform or app re-encoded it and dropped the metadata (common, and innocent).</param>
    public Core.Contract.Evidence Screenshot(SimAccount owner, DateTimeOffset capturedUtc, bool stripped, string? software = null)
    {
        var local = capturedUtc.ToOffset(owner.UtcOffset);
        var (w, h) = (p.Random.Next(48, 97), p.Random.Next(32, 65));
        byte[] bytes;
        if (stripped) bytes = PngFile.Write(w, h, Colour());
        else switch (software ?? p.Pick(["gnome-screenshot", "macOS", "Greenshot", "Spectacle"]))
        {
            case "macOS":
                // macOS writes the capture time in XMP (with offset) and Exif without an offset, plus "Screenshot".
                bytes = PngFile.Write(w, h, Colour(),
                    new PngText { XmpCreateDate = local, XmpUserComment = "Screenshot" },
                    new ExifFields { CapturedLocal = local.DateTime, PixelWidth = w, PixelHeight = h });
                break;
            case var tool:
                bytes = PngFile.Write(w, h, Colour(), new PngText { Software = tool, CreationTime = local });
                break;
        }
        return Wrap("screenshot", "png", "image/png", bytes, ClaimedTime(capturedUtc, owner));
    }

    /// <summary>A phone photo of a screen, in the photographer's own time zone.</summary>
    public Core.Contract.Evidence ScreenPhoto(SimAccount owner, DateTimeOffset capturedUtc, bool stripped)
    {
        var local = capturedUtc.ToOffset(owner.UtcOffset);
        var phone = p.Pick(Phones);
        var (w, h) = (64, 48);
        var exif = stripped ? null : new ExifFields
        {
            Make = phone.Make, Model = phone.Model, Software = phone.Software,
            ModifiedLocal = local.DateTime, CapturedLocal = local.DateTime,
            CapturedOffset = phone.RecordsOffset ? local.Offset : null, PixelWidth = w, PixelHeight = h,
        };
        var bytes = JpegFile.Write(w, h, Grey(), exif);
        return Wrap("photo", "jpg", "image/jpeg", bytes, ClaimedTime(capturedUtc, owner));
    }

    /// <summary>
    /// A doctored image: opened in an editor, its own times outside the meeting (made before it, or
    /// after the report), while the report claims it was captured during the meeting.
    /// </summary>
    public Core.Contract.Evidence Doctored(SimAccount owner, DateTimeOffset claimedUtc, DateTimeOffset madeUtc, DateTimeOffset editedUtc, bool asPhoto)
    {
        var made = madeUtc.ToOffset(owner.UtcOffset);
        var edited = editedUtc.ToOffset(owner.UtcOffset);
        var software = p.Chance(0.8) ? p.Pick(EditorSoftware) : "GIMP 2.10.18";
        var (w, h) = (p.Random.Next(48, 97), p.Random.Next(32, 65));
        // An editor keeps the original Exif size while the canvas was cropped: a stale size is a trace.
        var exif = new ExifFields
        {
            Make = asPhoto ? p.Pick(Phones).Make : null, Software = p.Chance(0.85) ? software : null,
            ModifiedLocal = edited.DateTime, CapturedLocal = p.Chance(0.85) ? made.DateTime : null,
            CapturedOffset = p.Chance(0.5) ? made.Offset : null, PixelWidth = w + (p.Chance(0.5) ? 64 : 0), PixelHeight = h,
        };
        // Forgers usually state a capture time (it is the lie), but not always.
        DateTimeOffset? claimed = p.Chance(0.85) ? claimedUtc.ToOffset(owner.UtcOffset) : null;
        if (asPhoto)
        {
            // 15% are "camera photos" with every trace of a camera stripped: a trace of its own.
            var jpeg = p.Chance(0.15) ? JpegFile.Write(w, h, Grey()) : JpegFile.Write(w, h, Grey(), exif);
            return Wrap("photo", "jpg", "image/jpeg", jpeg, claimed);
        }
        var png = PngFile.Write(w, h, Colour(),
            new PngText { Software = exif.Software, XmpCreatorTool = software, XmpCreateDate = made, XmpModifyDate = edited },
            p.Chance(0.7) ? exif : null);
        return Wrap("screenshot", "png", "image/png", png, claimed);
    }

    /// <summary>An honest email: the Received chain follows the Date by seconds, every domain agrees.</summary>
    public Core.Contract.Evidence HonestEmail(SimAccount from, string to, DateTimeOffset sentUtc, string subject, string body)
    {
        var domain = from.Email[(from.Email.IndexOf('@') + 1)..];
        var sent = sentUtc.ToOffset(from.UtcOffset);
        var mx = "mx." + domain;
        var message = new EmailMessage
        {
            From = $"{from.DisplayName} <{from.Email}>", To = to, Subject = subject, Date = sent,
            MessageIdDomain = domain == "gmail.com" ? "mail.gmail.com" : domain,
            DkimDomain = p.Chance(0.9) ? domain : null,
            Received =
            [
                new ReceivedHop("mx.meetly.example", mx, sentUtc + TimeSpan.FromSeconds(p.Uniform(2, 40))),
                new ReceivedHop(mx, "[" + from.UsualIp + "]", sentUtc + TimeSpan.FromSeconds(p.Uniform(0, 2))),
            ],
            Body = body,
        };
        return Wrap("email", "eml", "message/rfc822", EmailFile.Write(message, p.Random), sentUtc);
    }

    /// <summary>
    /// A forged email "from" the victim: one to three of the traces forgers leave — a Date that the
    /// Received chain contradicts, a Message-ID from another domain, a DKIM signature of an unrelated domain.
    /// </summary>
    public Core.Contract.Evidence ForgedEmail(SimAccount victim, string to, DateTimeOffset claimedUtc, DateTimeOffset forgedAtUtc, string subject, string body)
    {
        var fromDomain = p.Chance(0.5) ? p.Pick(Names.MailDomains) : p.Pick(Names.DisposableDomains);
        var fromAddress = Names.Mailbox(victim.DisplayName, p.Random) + "@" + fromDomain;
        bool badDate, badMessageId, badDkim;
        do { badDate = p.Chance(0.6); badMessageId = p.Chance(0.6); badDkim = p.Chance(0.6); } while (!badDate && !badMessageId && !badDkim);
        var relay = p.Pick(["smtp.bulk-relay.net", "mail.sendpulse-mx.com", "mx1.mailer-cn.net", "relay.anonmail.io"]);
        var receivedAt = badDate ? forgedAtUtc : claimedUtc + TimeSpan.FromSeconds(p.Uniform(2, 60));
        var message = new EmailMessage
        {
            From = $"{victim.DisplayName} <{fromAddress}>", To = to, Subject = subject,
            Date = claimedUtc.ToOffset(victim.UtcOffset),
            MessageIdDomain = badMessageId ? relay : fromDomain,
            DkimDomain = badDkim ? relay : p.Chance(0.5) ? fromDomain : null,
            Received =
            [
                new ReceivedHop("mx.meetly.example", relay, receivedAt + TimeSpan.FromSeconds(p.Uniform(1, 30))),
                new ReceivedHop(relay, "[" + p.IpIn(p.Country()) + "]", receivedAt),
            ],
            Body = body,
        };
        return Wrap("email", "eml", "message/rfc822", EmailFile.Write(message, p.Random), claimedUtc);
    }

    /// <summary>Wraps file bytes as a contract evidence item; the hash is sometimes left out, as callers do.</summary>
    public Core.Contract.Evidence Wrap(string kind, string extension, string mediaType, byte[] bytes, DateTimeOffset? claimedCapturedAt)
    {
        var id = ++_evidence;
        return new Core.Contract.Evidence
        {
            EvidenceId = $"e-{id}",
            Kind = kind,
            FileName = kind switch { "email" => $"message-{id}.{extension}", "photo" => $"IMG_{1000 + id % 9000}.{extension}", _ => $"Screenshot-{id}.{extension}" },
            MediaType = mediaType,
            Sha256 = p.Chance(0.85) ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null,
            SizeBytes = bytes.Length,
            ClaimedCapturedAt = claimedCapturedAt is { } claimed ? Platform.Seconds(claimed) : null,
            ContentBase64 = Convert.ToBase64String(bytes),
        };
    }

    /// <summary>A copy of an item (the same file) for another report: reuse keeps the bytes and the hash.</summary>
    public Core.Contract.Evidence Reuse(Core.Contract.Evidence original, DateTimeOffset claimedCapturedAt) => new()
    {
        EvidenceId = $"e-{++_evidence}", Kind = original.Kind, FileName = original.FileName, MediaType = original.MediaType,
        Sha256 = original.Sha256 ?? Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(original.ContentBase64!))),
        SizeBytes = original.SizeBytes, ClaimedCapturedAt = claimedCapturedAt, ContentBase64 = original.ContentBase64,
    };

    /// <summary>A declared hash that is not the file's (the file was changed after it was hashed).</summary>
    public static void BreakHash(Core.Contract.Evidence e, Random r)
    {
        var b = new byte[32];
        r.NextBytes(b);
        e.Sha256 = Convert.ToHexStringLower(b);
    }

    // Honest reporters give the capture time as their device showed it, a minute or so off, or not at all.
    private DateTimeOffset? ClaimedTime(DateTimeOffset capturedUtc, SimAccount owner) =>
        p.Chance(0.3) ? null : (capturedUtc + TimeSpan.FromSeconds(p.Uniform(-90, 90))).ToOffset(owner.UtcOffset);

    private (byte, byte, byte) Colour() => ((byte)p.Random.Next(256), (byte)p.Random.Next(256), (byte)p.Random.Next(256));
    private byte Grey() => (byte)p.Random.Next(40, 230);
}
