using System.Text;
using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Forensics.Tests;

public class FileEvidenceInspectorTests
{
    [Fact]
    public void InspectFile_CameraJpeg_ReadsWhatExiftoolReads()
    {
        var f = Some.Facts("photo-hongkong.jpg");

        Assert.True(f.Readable);
        Assert.Equal(FactSource.File, f.Source);
        Assert.Equal("image/jpeg", f.DetectedMediaType);
        Assert.Equal(new DateTime(2020, 6, 3, 22, 10, 0), f.CapturedLocal);
        Assert.Null(f.CapturedOffset);
        Assert.Equal(("Apple", "iPhone 8", "13.5.1"), (f.Make, f.Model, f.Software));
        Assert.Equal((320, 240), (f.PixelWidth, f.PixelHeight));
        Assert.Equal((320, 240), (f.ExifWidth, f.ExifHeight));
        Assert.True(f.HasThumbnail);
        Assert.Equal(1559, f.ThumbnailBytes);
        Assert.Equal((160, 120), (f.ThumbnailWidth, f.ThumbnailHeight));
        Assert.Equal(22.2819, f.GpsLatitude!.Value, 4);
        Assert.Equal(114.1589, f.GpsLongitude!.Value, 4);
        Assert.Equal(new DateTimeOffset(2020, 6, 3, 14, 10, 0, TimeSpan.Zero), f.GpsTime);
        Assert.False(f.MetadataStripped);
        Assert.Equal(64, f.ComputedSha256!.Length);
    }

    [Fact]
    public void InspectFile_OffsetTimeOriginal_GivesAnInstant()
    {
        var f = Some.Facts("photo-offset.jpg");
        Assert.Equal(TimeSpan.FromHours(8), f.CapturedOffset);
        Assert.Equal(new DateTimeOffset(2020, 6, 3, 14, 10, 0, TimeSpan.Zero), f.CapturedAt);
    }

    [Fact]
    public void InspectFile_PhotoResavedInPhotoshop_KeepsStaleExifSizeEditorAndHistory()
    {
        var f = Some.Facts("photo-resaved.jpg");
        Assert.Equal((6000, 4000), (f.ExifWidth, f.ExifHeight));
        Assert.Equal((320, 240), (f.PixelWidth, f.PixelHeight));
        Assert.Equal("Adobe Photoshop 21.0 (Windows)", f.Software);
        Assert.Equal("Adobe Photoshop 21.0 (Windows)", f.CreatorTool);
        Assert.Equal(new DateTime(2020, 6, 5, 10, 12, 0), f.ModifiedLocal);
        Assert.Contains(f.History!, h => h.Contains("saved by Adobe Photoshop", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("photo.webp", "image/webp", "Samsung", 21, 45)]
    [InlineData("photo.heic", "image/heic", "Apple", 22, 5)]
    public void InspectFile_WebPAndHeic_ReadCaptureTimeAndSize(string name, string type, string make, int hour, int minute)
    {
        var f = Some.Facts(name);
        Assert.True(f.Readable, f.UnreadableReason);
        Assert.Equal(type, f.DetectedMediaType);
        Assert.Equal(make, f.Make);
        Assert.Equal(new DateTimeOffset(2020, 6, 3, hour, minute, 0, TimeSpan.FromHours(8)), f.CapturedAt);
        Assert.Equal((320, 240), (f.PixelWidth, f.PixelHeight));
    }

    [Fact]
    public void InspectFile_RealGnomeScreenshot_IsMarkedAsScreenshot()
    {
        var f = Some.Facts("real-gnome-screenshot.png");
        Assert.Equal("gnome-screenshot", f.Software);
        Assert.Equal("Software: gnome-screenshot", f.ScreenshotMarker);
        Assert.Equal((427, 423), (f.PixelWidth, f.PixelHeight));
    }

    [Fact]
    public void InspectFile_PngCreationTimeInExifStyleWithOffset_IsTheCaptureInstant()
    {
        // exiftool writes PNG "Creation Time" as "2020:07:09 18:43:20+00:00": EXIF-style date, explicit offset.
        var f = Some.Facts("screenshot-exif-style-creation-time.png");
        Assert.Equal(new DateTimeOffset(2020, 7, 9, 18, 43, 20, TimeSpan.Zero), f.CapturedAt);
    }

    [Fact]
    public void InspectFile_RealPhotoshopExport_ReadsXmpCreatorToolAndHistory()
    {
        var f = Some.Facts("real-photoshop-export.png");
        Assert.Equal("Adobe Photoshop CC 2018 (Macintosh)", f.CreatorTool);
        Assert.Equal(2, f.History!.Count);
        Assert.Equal(new DateTimeOffset(2019, 8, 13, 9, 57, 4, TimeSpan.FromHours(-4)), f.CapturedAt);
    }

    [Fact]
    public void InspectFile_RealGimpPng_ReadsExifFromItsRawProfileText()
    {
        // GIMP writes EXIF into PNG as zTXt "Raw profile type exif" (hex), which MetadataExtractor 2.4 skips.
        var f = Some.Facts("real-gimp-export.png");
        Assert.Equal("GIMP 2.10.4", f.Software);
        Assert.Equal(new DateTime(2018, 8, 4, 19, 55, 32), f.ModifiedLocal);
        Assert.Equal(new DateTimeOffset(2018, 8, 4, 17, 55, 33, TimeSpan.Zero), f.EncodedAt);
    }

    [Fact]
    public void InspectFile_ScreenshotWithExifInPng_ReadsOffsetAndMarker()
    {
        var f = Some.Facts("screenshot-after-meeting.png");
        Assert.Equal(new DateTimeOffset(2020, 6, 3, 15, 40, 0, TimeSpan.Zero), f.CapturedAt);
        Assert.Equal("EXIF UserComment: Screenshot", f.ScreenshotMarker);
    }

    [Fact]
    public void InspectFile_StrippedPng_SaysStripped()
    {
        var f = Some.Facts("screenshot-stripped.png");
        Assert.True(f.Readable);
        Assert.True(f.MetadataStripped);
        Assert.Null(f.CapturedLocal);
    }

    [Theory]
    [InlineData("empty.png", "empty file")]
    [InlineData("truncated.jpg", "could not be parsed")]
    [InlineData("no-such-file.jpg", "no such file")]
    public void InspectFile_HostileFile_IsUnreadableWithReason(string name, string reason)
    {
        var f = Some.Facts(name);
        Assert.False(f.Readable);
        Assert.Contains(reason, f.UnreadableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectFile_WrongMagic_ReportsWhatTheBytesAre()
    {
        var f = Some.Facts("not-an-image.jpg");
        Assert.Equal("text/plain", f.DetectedMediaType);
    }

    [Fact]
    public void InspectBytes_UnknownBinary_IsUnreadable()
    {
        var f = Some.Inspector().InspectBytes([0x00, 0x01, 0x02, 0x03, 0xFE, 0x00, 0x7F], "x.jpg");
        Assert.False(f.Readable);
        Assert.Contains("unknown file type", f.UnreadableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectFile_PixelBombHeader_IsReadWithoutDecoding()
    {
        var f = Some.Facts("bomb-dimensions.png");
        Assert.True(f.Readable);
        Assert.Equal((100000, 100000), (f.PixelWidth, f.PixelHeight));
    }

    [Fact]
    public void Inspect_FileOverLimit_IsUnreadableBeforeDecoding()
    {
        var inspector = new FileEvidenceInspector(new FileInspectorOptions { MaxFileBytes = 1000 });
        var f = inspector.Inspect(Some.Evidence("photo-hongkong.jpg", "photo"), 0);
        Assert.False(f.Readable);
        Assert.Contains("limit", f.UnreadableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_InvalidBase64_IsUnreadable()
    {
        var f = Some.Inspector().Inspect(new Core.Contract.Evidence { Kind = "photo", ContentBase64 = "not base64!!" }, 0);
        Assert.False(f.Readable);
        Assert.Contains("base64", f.UnreadableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectBytes_DeeplyNestedMime_FinishesReadable()
    {
        var mail = new StringBuilder("From: a@example.org\r\nDate: Wed, 03 Jun 2020 15:00:00 +0000\r\nSubject: nested\r\n");
        const int depth = 5000;
        for (var i = 0; i < depth; i++)
            mail.Append($"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n");
        mail.Append("Content-Type: text/plain\r\n\r\nbottom\r\n");
        for (var i = depth - 1; i >= 0; i--) mail.Append($"--b{i}--\r\n");

        var f = Some.Inspector().InspectBytes(Encoding.ASCII.GetBytes(mail.ToString()), "nested.eml");

        Assert.True(f.Readable, f.UnreadableReason);
        Assert.Equal("message/rfc822", f.DetectedMediaType);
        Assert.Equal("a@example.org", f.EmailFrom);
    }

    [Fact]
    public void ReadWithinLimit_ParserThatHangs_IsAbandonedAsUnreadable()
    {
        var facts = new EvidenceFacts { DetectedMediaType = "image/png" };
        using var release = new ManualResetEventSlim();
        var result = FileEvidenceInspector.ReadWithinLimit(facts, _ => release.Wait(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(50));
        release.Set();

        Assert.False(result.Readable);
        Assert.Contains("abandoned", result.UnreadableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_CallerMetadataDisagreeingWithFile_IsIgnoredAndNoted()
    {
        var evidence = Some.Evidence("photo-hongkong.jpg", "photo");
        evidence.Metadata = new() { ["dateTimeOriginal"] = "2020:06:03 14:00:00", ["make"] = "Nikon" };

        var f = Some.Inspector().Inspect(evidence, 0);

        Assert.Equal(FactSource.File, f.Source);
        Assert.Equal(new DateTime(2020, 6, 3, 22, 10, 0), f.CapturedLocal);
        Assert.Equal("Apple", f.Make);
        Assert.Contains(f.Notes, n => n.Contains("Caller metadata said capture time \"2020-06-03 14:00:00\"; the file says \"2020-06-03 22:10:00\"", StringComparison.Ordinal));
        Assert.Contains(f.Notes, n => n.Contains("\"Nikon\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_MetadataOnly_UsesCallerMetadata()
    {
        var f = Some.Inspector().Inspect(new Core.Contract.Evidence { Kind = "photo", Metadata = new() { ["dateTimeOriginal"] = "2020:06:03 22:10:00" } }, 0);
        Assert.Equal(FactSource.CallerMetadata, f.Source);
        Assert.Equal(new DateTime(2020, 6, 3, 22, 10, 0), f.CapturedLocal);
    }
}
