using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Signals.Reporter;

namespace EvidenceCheck.Core.Tests.Signals;

public class ReporterAccountAgeDetectorTests
{
    [Fact]
    public void Detect_AccountMinutesOld_IsStrongAndSaysWhen()
    {
        var signal = Some.Detect<ReporterAccountAgeDetector>(Some.Report(r => r.Reporter!.CreatedAt = Some.Received.AddMinutes(-40)))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("40 minutes before the report", signal.Detail);
        Assert.Equal("days", signal.Unit);
    }

    [Fact]
    public void Detect_EstablishedAccount_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<ReporterAccountAgeDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_CreationTimeMissing_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterAccountAgeDetector>(Some.Report(r => r.Reporter!.CreatedAt = null)));

    [Fact]
    public void Detect_NoReporter_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterAccountAgeDetector>(Some.Report(r => r.Reporter = null)));
}

public class ReporterCreatedAfterScheduledDetectorTests
{
    [Fact]
    public void Detect_CreatedAfterAnnouncement_Fires()
    {
        var signal = Some.Detect<ReporterCreatedAfterScheduledDetector>(Some.Report(r => r.Reporter!.CreatedAt = Some.MeetingStart.AddDays(-1)))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("after the meeting was announced", signal.Detail);
    }

    [Fact]
    public void Detect_OlderThanAnnouncement_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<ReporterCreatedAfterScheduledDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_NoMeeting_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterCreatedAfterScheduledDetector>(Some.Report(r => r.Subject!.Meeting = null)));
}

public class ReporterEmailDetectorTests
{
    [Fact]
    public void Detect_DisposableDomain_IsStrong()
    {
        var signal = Some.Detect<ReporterEmailDetector>(Some.Report(r => r.Reporter!.Email = "x@mailinator.com"))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("mailinator.com", signal.Detail);
    }

    [Fact]
    public void Detect_SubdomainOfDisposable_Fires() =>
        Assert.Equal(1.0, Some.Detect<ReporterEmailDetector>(Some.Report(r => r.Reporter!.Email = "x@eu.mailinator.com"))!.Value.Strength);

    [Theory]
    [InlineData("x@notmailinator.com")]
    [InlineData("x@mailinator.com.example")]
    public void Detect_DomainThatOnlyContainsADisposableOne_DoesNotFire(string email) =>
        Assert.Equal(0, Some.Detect<ReporterEmailDetector>(Some.Report(r => { r.Reporter!.Email = email; r.Reporter.EmailVerified = true; }))!.Value.Strength);

    [Fact]
    public void Detect_Unverified_IsWeak() =>
        Assert.Equal(0.4, Some.Detect<ReporterEmailDetector>(Some.Report(r => r.Reporter!.EmailVerified = false))!.Value.Strength);

    [Fact]
    public void Detect_OrdinaryVerifiedEmail_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<ReporterEmailDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_NoEmailAndVerificationUnknown_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterEmailDetector>(Some.Report(r => { r.Reporter!.Email = null; r.Reporter.EmailVerified = null; })));
}

public class ReporterAttendanceDetectorTests
{
    [Fact]
    public void Detect_NeverJoined_IsStrong()
    {
        var signal = Some.Detect<ReporterAttendanceDetector>(Some.Report(r => r.Reporter!.AccountId = "u-outsider"))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("not in the meeting's attendance record", signal.Detail);
    }

    [Fact]
    public void Detect_PresentThreeMinutes_IsBrief()
    {
        var signal = Some.Detect<ReporterAttendanceDetector>(Some.Report(r =>
            r.Subject!.Meeting!.Participants![1] = Some.Present("u-rep", Some.MeetingStart.AddMinutes(30), Some.MeetingStart.AddMinutes(33))))!.Value;
        Assert.Equal(0.6, signal.Strength);
        Assert.Contains("only 3 minutes", signal.Detail);
    }

    [Fact]
    public void Detect_NewcomerPresentForAnHour_PointsToGenuine()
    {
        var signal = Some.Detect<ReporterAttendanceDetector>(Some.Report(r =>
        {
            r.Reporter!.CreatedAt = Some.Received.AddHours(-3);
            r.Subject!.Meeting!.Participants![1] = Some.Present("u-rep", Some.MeetingStart, Some.MeetingStart.AddMinutes(70));
        }))!.Value;
        Assert.True(signal.Strength < 0);
    }

    [Fact]
    public void Detect_LeftAndRejoined_AddsUpStretches()
    {
        var signal = Some.Detect<ReporterAttendanceDetector>(Some.Report(r =>
        {
            r.Subject!.Meeting!.Participants![1] = Some.Present("u-rep", Some.MeetingStart, Some.MeetingStart.AddMinutes(3));
            r.Subject.Meeting.Participants.Add(Some.Present("u-rep", Some.MeetingStart.AddMinutes(60), Some.MeetingStart.AddMinutes(63)));
        }))!.Value;
        Assert.Equal(6, signal.Value);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(190)]
    public void Detect_StillInARunningMeeting_IsPresent_AndSaysForHowLongSoFar(int minutes)
    {
        // Before, an open stretch in a running meeting read as "join and leave times were not recorded".
        var signal = Some.Detect<ReporterAttendanceDetector>(Some.Report(r =>
        {
            r.Subject!.Meeting!.EndedAt = null;
            r.Subject.Meeting.Participants![1] = Some.Present("u-rep", Some.Received.AddMinutes(-minutes));
            r.Subject.Meeting.Participants[1].LeftAt = null;
        }))!.Value;
        Assert.Equal(-0.2, signal.Strength);
        Assert.Equal(minutes, signal.Value);
        Assert.Contains("when the report came in, and was still there (the meeting is running)", signal.Detail);
    }

    [Fact]
    public void Detect_RunningMeeting_LeftMinutesAfterJoining_IsBrief()
    {
        var signal = Some.Detect<ReporterAttendanceDetector>(Some.Report(r =>
        {
            r.Subject!.Meeting!.EndedAt = null;
            r.Subject.Meeting.Participants![1] = Some.Present("u-rep", Some.Received.AddMinutes(-20), Some.Received.AddMinutes(-17));
        }))!.Value;
        Assert.Equal(0.6, signal.Strength);
        Assert.Contains("only 3 minutes", signal.Detail);
    }

    [Fact]
    public void Detect_NoAttendanceRecord_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterAttendanceDetector>(Some.Report(r => r.Subject!.Meeting!.Participants = null)));

    [Fact]
    public void Detect_ReportAboutAnAccount_IsNotAskedOfAttendance() =>
        Assert.Null(Some.Detect<ReporterAttendanceDetector>(Some.Report(r => { r.Subject!.Kind = "account"; r.Reporter!.AccountId = "u-outsider"; })));
}

public class ReporterTrackRecordDetectorTests
{
    [Fact]
    public void Detect_ManyReportsNoneUpheld_Fires() =>
        Assert.Equal(0.8, Some.Detect<ReporterTrackRecordDetector>(Some.Report(r => { r.Reporter!.ReportsFiled = 12; r.Reporter.ReportsUpheld = 0; }))!.Value.Strength);

    [Fact]
    public void Detect_MostlyUpheld_PointsToGenuine() =>
        Assert.True(Some.Detect<ReporterTrackRecordDetector>(Some.Report(r => { r.Reporter!.ReportsFiled = 10; r.Reporter.ReportsUpheld = 9; }))!.Value.Strength < 0);

    [Fact]
    public void Detect_FirstReport_SaysNothing() =>
        Assert.Equal(0, Some.Detect<ReporterTrackRecordDetector>(Some.Report(r => { r.Reporter!.ReportsFiled = 0; r.Reporter.ReportsUpheld = 0; }))!.Value.Strength);

    [Fact]
    public void Detect_HistoryUnknown_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterTrackRecordDetector>(Some.Report(r => r.Reporter!.ReportsFiled = 5)));
}

public class ReporterSessionCountryDetectorTests
{
    [Fact]
    public void Detect_FiledFromAnotherCountry_Fires()
    {
        var signal = Some.Detect<ReporterSessionCountryDetector>(Some.Report(r => r.ReporterSession!.Country = "CN"))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("filed from CN", signal.Detail);
    }

    [Fact]
    public void Detect_SameCountry_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<ReporterSessionCountryDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_SessionCountryUnknown_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterSessionCountryDetector>(Some.Report(r => r.ReporterSession = null)));
}

public class ReporterInternalChannelDetectorTests
{
    [Fact]
    public void Detect_InternalChannel_Fires() =>
        Assert.Equal(1.0, Some.Detect<ReporterInternalChannelDetector>(Some.Report(r => r.Channel = "internal"))!.Value.Strength);

    [Fact]
    public void Detect_InApp_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<ReporterInternalChannelDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_ChannelUnknown_IsUnknown() =>
        Assert.Null(Some.Detect<ReporterInternalChannelDetector>(Some.Report(r => r.Channel = null)));
}
