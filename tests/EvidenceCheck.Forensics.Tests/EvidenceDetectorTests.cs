using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Core.Signals.Evidence;

namespace EvidenceCheck.Forensics.Tests;

/// <summary>The evidence detectors on facts read from the real test files, firing and not.</summary>
public class EvidenceDetectorTests
{
    private static Signal? Detect<T>(ReportContext context) where T : ISignalDetector, new() => new T().Detect(context);

    // --- Capture time against the meeting

    [Theory]
    [InlineData(null)]
    [InlineData("HK")]
    [InlineData("US")] // the GPS clock settles the offset, whatever the account says
    public void CapturedOutsideMeeting_GenuineHongKongPhotoDuringUtcMeeting_DoesNotFire(string? country)
    {
        var context = Some.Context(Some.Report(country), Some.Facts("photo-hongkong.jpg", "photo"));
        var s = Detect<EvidenceCapturedOutsideMeetingDetector>(context);
        Assert.Equal(0, s!.Value.Strength);
        Assert.Contains("within the meeting", s.Value.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("HK")]
    public void CapturedOutsideMeeting_HongKongLocalTimeWithoutOffsetOrGps_DoesNotFire(string? country)
    {
        var facts = new EvidenceFacts { Kind = "photo", Source = FactSource.File, DeclaredFileName = "p.jpg", CapturedLocal = new DateTime(2020, 6, 3, 22, 10, 0) };
        var s = Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(Some.Report(country), facts));
        Assert.Equal(0, s!.Value.Strength);
    }

    [Fact]
    public void CapturedOutsideMeeting_ScreenshotAfterMeetingEnded_IsStrong()
    {
        var s = Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(Some.Facts("screenshot-after-meeting.png", "screenshot")));
        Assert.Equal(1.0, s!.Value.Strength);
        Assert.Equal(45, s.Value.Value);
        Assert.Equal("screenshot-after-meeting.png says it was captured 2020-06-03 23:40 (+08:00), 45 minutes after the meeting ended at 2020-06-03 14:55 UTC.", s.Value.Detail);
    }

    [Fact]
    public void CapturedOutsideMeeting_ImpersonationReport_OnlyAfterTheReportCounts()
    {
        // A screenshot of an impostor's profile, taken after the meeting: fine. Taken after the report was filed: impossible.
        var report = Some.Report();
        report.Category = "impersonation";
        Assert.Null(Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(report, Some.Facts("screenshot-after-meeting.png", "screenshot"))));
        var late = new EvidenceFacts { Source = FactSource.File, DeclaredFileName = "late.jpg", CapturedLocal = new DateTime(2020, 6, 6, 10, 0, 0) };
        Assert.Equal(1.0, Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(report, late))!.Value.Strength);
    }

    [Fact]
    public void CapturedOutsideMeeting_DaysLaterUnderAnyOffset_FiresWithoutKnowingTheCountry()
    {
        var facts = new EvidenceFacts { Source = FactSource.File, DeclaredFileName = "late.jpg", CapturedLocal = new DateTime(2020, 6, 6, 10, 0, 0) };
        var s = Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(facts));
        Assert.Equal(1.0, s!.Value.Strength);
        Assert.Contains("after the report was filed", s.Value.Detail, StringComparison.Ordinal);
        Assert.Contains("UTC−12…+14", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CapturedOutsideMeeting_CountryAssumption_IsDiscounted()
    {
        // 22:10 with no offset is 02:10–08:10 UTC the next day for a US reporter: outside, but the assumption could be wrong.
        var facts = new EvidenceFacts { Source = FactSource.File, DeclaredFileName = "p.jpg", CapturedLocal = new DateTime(2020, 6, 3, 22, 10, 0) };
        var s = Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(Some.Report("US"), facts));
        Assert.Equal(0.8, s!.Value.Strength, 3);
        Assert.Contains("any offset used in US", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CapturedOutsideMeeting_NoCaptureTime_IsUnknown()
    {
        Assert.Null(Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(Some.Facts("screenshot-stripped.png", "screenshot"))));
        Assert.Null(Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context()));
    }

    [Fact]
    public void CapturedOutsideMeeting_UnreadableFile_IsUnknown()
    {
        Assert.Null(Detect<EvidenceCapturedOutsideMeetingDetector>(Some.Context(Some.Facts("truncated.jpg", "photo"))));
    }

    // --- Claimed capture time

    [Fact]
    public void ClaimedCaptureContradicted_BackDatedClaim_Fires()
    {
        var facts = Some.Facts("screenshot-after-meeting.png", "screenshot");
        facts.ClaimedCapturedAt = new DateTimeOffset(2020, 6, 3, 14, 0, 0, TimeSpan.Zero);
        var s = Detect<EvidenceClaimedCaptureContradictedDetector>(Some.Context(facts));
        Assert.True(s!.Value.Strength > 0.8);
        Assert.Equal(100, s.Value.Value);
    }

    [Fact]
    public void ClaimedCaptureContradicted_ClaimMatchingTheFile_DoesNotFire()
    {
        var facts = Some.Facts("photo-hongkong.jpg", "photo");
        facts.ClaimedCapturedAt = new DateTimeOffset(2020, 6, 3, 14, 5, 0, TimeSpan.Zero);
        Assert.Equal(0, Detect<EvidenceClaimedCaptureContradictedDetector>(Some.Context(facts))!.Value.Strength);
    }

    // --- Software, size, internal times

    [Fact]
    public void EditingSoftware_Photoshop_Fires()
    {
        var s = Detect<EvidenceEditingSoftwareDetector>(Some.Context(Some.Facts("photo-resaved.jpg", "photo")));
        Assert.Equal(1.0, s!.Value.Strength);
        Assert.Contains("Adobe Photoshop 21.0 (Windows)", s.Value.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("photo-hongkong.jpg")]        // iOS version
    [InlineData("photo-offset.jpg")]          // Pixel camera firmware
    [InlineData("photo.webp")]                // Samsung firmware
    [InlineData("real-gnome-screenshot.png")] // a screenshot tool
    public void EditingSoftware_CameraFirmwareAndScreenshotTools_DoNotFire(string name)
    {
        Assert.Equal(0, Detect<EvidenceEditingSoftwareDetector>(Some.Context(Some.Facts(name)))!.Value.Strength);
    }

    [Fact]
    public void EditingSoftware_EditedScreenshot_IsWeakerThanEditedPhoto()
    {
        var s = Detect<EvidenceEditingSoftwareDetector>(Some.Context(Some.Facts("real-photoshop-export.png", "screenshot")));
        Assert.Equal(0.6, s!.Value.Strength);
    }

    [Fact]
    public void EditingSoftware_NothingRecorded_IsUnknown()
    {
        Assert.Null(Detect<EvidenceEditingSoftwareDetector>(Some.Context(Some.Facts("screenshot-stripped.png", "screenshot"))));
    }

    [Fact]
    public void ExifSizeMismatch_ResavedPhoto_Fires()
    {
        var s = Detect<EvidenceExifSizeMismatchDetector>(Some.Context(Some.Facts("photo-resaved.jpg", "photo")));
        Assert.Equal(1.0, s!.Value.Strength); // 3:2 camera frame, 4:3 pixels: cropped
        Assert.Contains("EXIF says 6000×4000 but the image is 320×240", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ExifSizeMismatch_SizesAgreeOrRotated_DoesNotFire()
    {
        Assert.Equal(0, Detect<EvidenceExifSizeMismatchDetector>(Some.Context(Some.Facts("photo-hongkong.jpg")))!.Value.Strength);
        var rotated = new EvidenceFacts { Source = FactSource.File, ExifWidth = 4032, ExifHeight = 3024, PixelWidth = 3024, PixelHeight = 4032 };
        Assert.Equal(0, Detect<EvidenceExifSizeMismatchDetector>(Some.Context(rotated))!.Value.Strength);
    }

    [Fact]
    public void ExifSizeMismatch_ScaledSameShape_IsResized()
    {
        var scaled = new EvidenceFacts { Source = FactSource.File, ExifWidth = 4032, ExifHeight = 3024, PixelWidth = 1024, PixelHeight = 768 };
        var s = Detect<EvidenceExifSizeMismatchDetector>(Some.Context(scaled));
        Assert.Equal(0.6, s!.Value.Strength);
        Assert.Contains("resized", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void InternalTimesDisagree_ModifiedDaysAfterCapture_Fires()
    {
        var s = Detect<EvidenceInternalTimesDisagreeDetector>(Some.Context(Some.Facts("photo-resaved.jpg", "photo")));
        Assert.Equal(0.6, s!.Value.Strength);
    }

    [Fact]
    public void InternalTimesDisagree_ModifiedBeforeCapture_IsStrong()
    {
        var f = new EvidenceFacts { Source = FactSource.File, CapturedLocal = new DateTime(2020, 6, 3, 22, 0, 0), ModifiedLocal = new DateTime(2020, 6, 1, 9, 0, 0) };
        Assert.Equal(1.0, Detect<EvidenceInternalTimesDisagreeDetector>(Some.Context(f))!.Value.Strength);
    }

    [Fact]
    public void InternalTimesDisagree_CameraTimesTogether_DoesNotFire()
    {
        Assert.Equal(0, Detect<EvidenceInternalTimesDisagreeDetector>(Some.Context(Some.Facts("photo-hongkong.jpg")))!.Value.Strength);
    }

    // --- Hash and type

    [Fact]
    public void HashMismatch_DeclaredHashOfAnotherFile_Fires()
    {
        var evidence = Some.Evidence("photo-hongkong.jpg", "photo");
        evidence.Sha256 = new string('a', 64);
        var s = Detect<EvidenceHashMismatchDetector>(Some.Context(Some.Inspector().Inspect(evidence, 0)));
        Assert.Equal(1.0, s!.Value.Strength);
    }

    [Fact]
    public void HashMismatch_DeclaredHashMatches_DoesNotFire_AndMissingIsUnknown()
    {
        var evidence = Some.Evidence("photo-hongkong.jpg", "photo");
        Assert.Null(Detect<EvidenceHashMismatchDetector>(Some.Context(Some.Inspector().Inspect(evidence, 0))));
        evidence.Sha256 = Some.Facts("photo-hongkong.jpg").ComputedSha256!.ToUpperInvariant();
        Assert.Equal(0, Detect<EvidenceHashMismatchDetector>(Some.Context(Some.Inspector().Inspect(evidence, 0)))!.Value.Strength);
    }

    [Fact]
    public void TypeMismatch_TextSubmittedAsPhoto_IsStrong()
    {
        var f = Some.Inspector().Inspect(Some.Evidence("not-an-image.jpg", "photo", "image/jpeg"), 0);
        var s = Detect<EvidenceTypeMismatchDetector>(Some.Context(f));
        Assert.Equal(1.0, s!.Value.Strength);
        Assert.Contains("text/plain", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeMismatch_PngDeclaredAsJpeg_IsWeak()
    {
        var f = Some.Inspector().Inspect(Some.Evidence("screenshot-stripped.png", "screenshot", "image/jpeg"), 0);
        Assert.Equal(0.4, Detect<EvidenceTypeMismatchDetector>(Some.Context(f))!.Value.Strength);
    }

    [Fact]
    public void TypeMismatch_AsDeclared_DoesNotFire()
    {
        var f = Some.Inspector().Inspect(Some.Evidence("photo-hongkong.jpg", "photo", "image/jpg"), 0);
        Assert.Equal(0, Detect<EvidenceTypeMismatchDetector>(Some.Context(f))!.Value.Strength);
    }

    // --- Stripped metadata: unverifiable, not fabricated

    [Fact]
    public void MetadataStripped_Screenshot_IsWeakAndSaysUnverifiable()
    {
        var s = Detect<EvidenceMetadataStrippedDetector>(Some.Context(Some.Facts("screenshot-stripped.png", "screenshot")));
        Assert.True(s!.Value.Strength <= 0.2);
        Assert.Contains("cannot be verified", s.Value.Detail, StringComparison.Ordinal);
        Assert.Contains("not itself a sign of fabrication", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataStripped_CameraPhoto_FiresButWeighsLittle()
    {
        var s = Detect<EvidenceMetadataStrippedDetector>(Some.Context(Some.Facts("screenshot-stripped.png", "photo")));
        Assert.Equal(1.0, s!.Value.Strength);
        var weight = DetectorCatalog.Discover().Detectors.Single(d => d.Name == "evidence.metadataStripped").Weight;
        Assert.True(weight <= 1.0, "stripping is common in genuine uploads: the rule weight must stay small");
    }

    [Fact]
    public void MetadataStripped_FileWithMetadata_DoesNotFire_AndEmailIsUnknown()
    {
        Assert.Equal(0, Detect<EvidenceMetadataStrippedDetector>(Some.Context(Some.Facts("photo-hongkong.jpg", "photo")))!.Value.Strength);
        Assert.Null(Detect<EvidenceMetadataStrippedDetector>(Some.Context(Some.Facts("gmail.msg", "email"))));
    }

    // --- Email

    [Fact]
    public void EmailDateVsReceived_BackDatedForgery_IsStrong()
    {
        var s = Detect<EvidenceEmailDateVsReceivedDetector>(Some.Context(Some.Facts("forged.eml", "email")));
        Assert.Equal(1.0, s!.Value.Strength);
        Assert.Contains("back-dated", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailDateVsReceived_RealGmail_DoesNotFire()
    {
        Assert.Equal(0, Detect<EvidenceEmailDateVsReceivedDetector>(Some.Context(Some.Facts("gmail.msg", "email")))!.Value.Strength);
    }

    [Fact]
    public void EmailDomains_Forgery_SignedAndMintedElsewhere()
    {
        var context = Some.Context(Some.Facts("forged.eml", "email"));
        Assert.Equal(0.7, Detect<EvidenceEmailSigningDomainDetector>(context)!.Value.Strength);
        Assert.Equal(1.0, Detect<EvidenceEmailMessageIdDomainDetector>(context)!.Value.Strength);
    }

    [Fact]
    public void EmailDomains_RealGmail_Aligned()
    {
        var context = Some.Context(Some.Facts("gmail.msg", "email"));
        Assert.Equal(0, Detect<EvidenceEmailSigningDomainDetector>(context)!.Value.Strength);
        Assert.Equal(0, Detect<EvidenceEmailMessageIdDomainDetector>(context)!.Value.Strength);
    }

    [Fact]
    public void EmailPredatesSender_EmailOlderThanTheAccountUsingItsAddress_Fires()
    {
        var accused = new Account { AccountId = "u-fake", Email = "Chen.Wei@hkdemocracy-forum.org", CreatedAt = new DateTimeOffset(2020, 6, 2, 0, 0, 0, TimeSpan.Zero) };
        var s = Detect<EvidenceEmailPredatesSenderDetector>(Some.Context(Some.Report(null, accused), Some.Facts("forged.eml", "email")));
        Assert.True(s!.Value.Strength > 0.5);
        Assert.Contains("before the account u-fake", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailPredatesSender_NoAccountWithThatAddress_IsUnknown()
    {
        Assert.Null(Detect<EvidenceEmailPredatesSenderDetector>(Some.Context(Some.Facts("forged.eml", "email"))));
    }

    [Fact]
    public void Dkim_TamperedMessage_IsStrong_PassLeansGenuine_NoKeyIsUnknown()
    {
        Assert.Equal(1.0, Detect<EvidenceDkimDetector>(Some.Context(Some.Facts("gmail-fail-body.msg", "email")))!.Value.Strength);
        Assert.True(Detect<EvidenceDkimDetector>(Some.Context(Some.Facts("gmail.msg", "email")))!.Value.Strength < 0);
        Assert.Null(Detect<EvidenceDkimDetector>(Some.Context(Some.Facts("gmail-fail-body.msg", "email", keys: false))));
        Assert.Null(Detect<EvidenceDkimDetector>(Some.Context(Some.Facts("forged.eml", "email"))));
    }

    // --- Through the scorer

    [Fact]
    public void Scorer_WithFileInspector_ExplainsTheBackDatedScreenshot()
    {
        var report = Some.Report("HK");
        var screenshot = Some.Evidence("screenshot-after-meeting.png", "screenshot", "image/png");
        screenshot.ClaimedCapturedAt = new DateTimeOffset(2020, 6, 3, 14, 0, 0, TimeSpan.Zero);
        report.Evidence = [screenshot, new Evidence { Kind = "photo", ContentBase64 = "" }];
        var scorer = new ReportScorer(DetectorCatalog.Discover(), new ScoringOptions(), TimeProvider.System, inspector: Some.Inspector());

        var result = scorer.Score(report);

        var reason = Assert.Single(result.Reasons, r => r.Signal == "evidence.capturedOutsideMeeting");
        Assert.Contains("45 minutes after the meeting ended", reason.Detail, StringComparison.Ordinal);
        Assert.Contains(result.Reasons, r => r.Signal == "evidence.claimedCaptureContradicted");
    }

    [Fact]
    public void Scorer_GenuineHongKongPhoto_AddsNoEvidenceReason()
    {
        var report = Some.Report("HK");
        report.Evidence = [Some.Evidence("photo-hongkong.jpg", "photo", "image/jpeg")];
        var scorer = new ReportScorer(DetectorCatalog.Discover(), new ScoringOptions(), TimeProvider.System, inspector: Some.Inspector());

        var result = scorer.Score(report);

        Assert.DoesNotContain(result.Reasons, r => r.Signal.StartsWith("evidence.", StringComparison.Ordinal) && r.Contribution > 0);
    }
}

public class EvidenceUnreadableDetectorTests
{
    [Fact]
    public void Detect_TruncatedFile_SaysItWasNotChecked()
    {
        var s = new EvidenceUnreadableDetector().Detect(Some.Context(Some.Facts("truncated.jpg", "photo"), Some.Facts("photo-hongkong.jpg", "photo")));
        Assert.Equal(1.0, s!.Value.Strength);
        Assert.StartsWith("truncated.jpg could not be read (The JPEG file could not be parsed", s.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_AllReadable_IsZero_AndNoFilesIsUnknown()
    {
        Assert.Equal(0, new EvidenceUnreadableDetector().Detect(Some.Context(Some.Facts("photo-hongkong.jpg")))!.Value.Strength);
        Assert.Null(new EvidenceUnreadableDetector().Detect(Some.Context()));
    }
}
