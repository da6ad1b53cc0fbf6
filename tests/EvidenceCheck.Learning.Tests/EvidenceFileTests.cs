using System.Security.Cryptography;
using System.Text;
using EvidenceCheck.Learning.EvidenceFiles;
using EvidenceCheck.Learning.Simulation;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.Xmp;
using MimeKit;

namespace EvidenceCheck.Learning.Tests;

/// <summary>Evidence files are real: read back with the same parsers the forensics use (MetadataExtractor, MimeKit).</summary>
public sealed class EvidenceFileTests
{
    private static readonly DateTime Captured = new(2020, 6, 4, 21, 15, 30);

    [Fact]
    public void Jpeg_ExifSegment_ReadsBackMakeModelSoftwareAndTimes()
    {
        var bytes = JpegFile.Write(64, 48, 120, new ExifFields
        {
            Make = "Apple", Model = "iPhone 11", Software = "Adobe Photoshop 21.2 (Windows)", ModifiedLocal = Captured.AddHours(3),
            CapturedLocal = Captured, CapturedOffset = TimeSpan.FromHours(8), PixelWidth = 640, PixelHeight = 480,
        });
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        Assert.Equal([0xFF, 0xD9], bytes[^2..]);
        Assert.InRange(bytes.Length, 100, 4096);

        var dirs = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));
        var ifd0 = dirs.OfType<ExifIfd0Directory>().Single();
        Assert.Equal("Apple", ifd0.GetString(ExifDirectoryBase.TagMake));
        Assert.Equal("iPhone 11", ifd0.GetString(ExifDirectoryBase.TagModel));
        Assert.Equal("Adobe Photoshop 21.2 (Windows)", ifd0.GetString(ExifDirectoryBase.TagSoftware));
        Assert.Equal("2020:06:05 00:15:30", ifd0.GetString(ExifDirectoryBase.TagDateTime));
        var sub = dirs.OfType<ExifSubIfdDirectory>().Single();
        Assert.Equal("2020:06:04 21:15:30", sub.GetString(ExifDirectoryBase.TagDateTimeOriginal));
        Assert.Equal("+08:00", sub.GetString(ExifDirectoryBase.TagTimeZoneOriginal));
        Assert.Equal(640, sub.GetInt32(ExifDirectoryBase.TagExifImageWidth));
        Assert.Equal(480, sub.GetInt32(ExifDirectoryBase.TagExifImageHeight));
        var frame = dirs.OfType<MetadataExtractor.Formats.Jpeg.JpegDirectory>().Single();
        Assert.Equal(64, frame.GetImageWidth());
        Assert.Equal(48, frame.GetImageHeight());
    }

    [Fact]
    public void Png_TextXmpAndExifChunks_ReadBack_AndCrcsAreRight()
    {
        var created = new DateTimeOffset(Captured, TimeSpan.FromHours(8));
        var bytes = PngFile.Write(40, 30, (200, 100, 50),
            new PngText { Software = "gnome-screenshot", CreationTime = created, XmpCreateDate = created, XmpCreatorTool = "Adobe Photoshop 22.0 (Windows)" },
            new ExifFields { CapturedLocal = Captured, CapturedOffset = TimeSpan.FromHours(8) });
        Assert.Equal(PngFile.Signature, bytes[..8]);
        AssertChunkCrcs(bytes);

        var dirs = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));
        var texts = dirs.OfType<PngDirectory>().SelectMany(d => d.Tags).Select(t => t.Description ?? "").ToArray();
        Assert.Contains(texts, t => t.Contains("gnome-screenshot"));
        var xmp = dirs.OfType<XmpDirectory>().Single();
        Assert.Contains(xmp.GetXmpProperties(), p => p.Key == "xmp:CreatorTool" && p.Value == "Adobe Photoshop 22.0 (Windows)");
        Assert.Equal("2020:06:04 21:15:30", dirs.OfType<ExifSubIfdDirectory>().Single().GetString(ExifDirectoryBase.TagDateTimeOriginal));
    }

    [Fact]
    public void Email_ParsesAsRfc5322_WithItsHeadersAsWritten()
    {
        var date = new DateTimeOffset(2020, 6, 1, 10, 0, 0, TimeSpan.FromHours(8));
        var bytes = EmailFile.Write(new EmailMessage
        {
            From = "Wang Dan <wang.dan@gmail.com>", To = "liaison@corp.meetly.example", Subject = "meeting", Date = date,
            MessageIdDomain = "relay.anonmail.io", DkimDomain = "relay.anonmail.io",
            Received = [new ReceivedHop("mx.meetly.example", "relay.anonmail.io", date.AddDays(3))],
            Body = "text",
        }, new Random(1));
        var message = MimeMessage.Load(new MemoryStream(bytes));
        Assert.Equal(date, message.Date);
        Assert.Equal("wang.dan@gmail.com", message.From.Mailboxes.Single().Address);
        Assert.EndsWith("@relay.anonmail.io", message.MessageId);
        Assert.Contains("d=relay.anonmail.io", message.Headers[HeaderId.DkimSignature]);
        Assert.Contains(EmailFile.Rfc5322(date.AddDays(3)), message.Headers[HeaderId.Received]);
    }

    [Fact]
    public void Simulated_EveryEvidenceFile_IsWhatItsMediaTypeSays_AndParses()
    {
        var items = Some.Reports().SelectMany(d => d.Report.Evidence ?? []).ToArray();
        Assert.Contains(items, e => e.MediaType == "image/png");
        Assert.Contains(items, e => e.MediaType == "image/jpeg");
        Assert.Contains(items, e => e.MediaType == "message/rfc822");
        foreach (var e in items)
        {
            var bytes = Convert.FromBase64String(e.ContentBase64!);
            Assert.Equal(e.SizeBytes, bytes.Length);
            Assert.InRange(bytes.Length, 100, 8192);
            switch (e.MediaType)
            {
                case "image/png": Assert.Equal(PngFile.Signature, bytes[..8]); AssertChunkCrcs(bytes); ImageMetadataReader.ReadMetadata(new MemoryStream(bytes)); break;
                case "image/jpeg": Assert.Equal([0xFF, 0xD8, 0xFF], bytes[..3]); ImageMetadataReader.ReadMetadata(new MemoryStream(bytes)); break;
                case "message/rfc822": Assert.True(MimeMessage.Load(new MemoryStream(bytes)).Date.Year >= 2019); break;
                default: Assert.Fail($"unexpected media type {e.MediaType}"); break;
            }
        }
    }

    [Fact]
    public void Simulated_DeclaredHashes_MatchTheFile_ExceptWhereBrokenOnPurpose()
    {
        var data = Some.Reports();
        foreach (var d in data)
            foreach (var e in d.Report.Evidence ?? [])
            {
                if (e.Sha256 is null) continue;
                var actual = Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(e.ContentBase64!)));
                if (!d.Label.Fabricated) Assert.Equal(actual, e.Sha256);
            }
    }

    [Fact]
    public void Simulated_Doctored_CarryEditorSoftware_GenuinePhotosCarryACamera()
    {
        var data = Some.Reports();
        var doctored = data.Where(d => d.Label.Family == Families.DoctoredScreenshot).SelectMany(d => d.Report.Evidence!).ToArray();
        Assert.Contains(doctored, e => Text(e).Contains("Photoshop") || Text(e).Contains("GIMP"));
        var photos = data.Where(d => d.Label.Family == Families.ScreenPhoto).SelectMany(d => d.Report.Evidence!).ToArray();
        Assert.Contains(photos, e => ImageMetadataReader.ReadMetadata(new MemoryStream(Convert.FromBase64String(e.ContentBase64!)))
            .OfType<ExifIfd0Directory>().Any(x => x.GetString(ExifDirectoryBase.TagMake) is not null));
    }

    private static string Text(Core.Contract.Evidence e) => Encoding.Latin1.GetString(Convert.FromBase64String(e.ContentBase64!));

    // An independent, bit-at-a-time CRC-32 (the writer's is table-driven).
    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    private static void AssertChunkCrcs(byte[] png)
    {
        var at = 8;
        while (at < png.Length)
        {
            var length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            var crc = (uint)((png[at + 8 + length] << 24) | (png[at + 9 + length] << 16) | (png[at + 10 + length] << 8) | png[at + 11 + length]);
            Assert.Equal(BitwiseCrc32(png.AsSpan(at + 4, 4 + length)), crc);
            at += 12 + length;
        }
        Assert.Equal(png.Length, at);
    }
}
