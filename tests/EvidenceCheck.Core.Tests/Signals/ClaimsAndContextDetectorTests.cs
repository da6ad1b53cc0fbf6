using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals.Claims;
using EvidenceCheck.Core.Signals.Context;

namespace EvidenceCheck.Core.Tests.Signals;

public class ClaimTimeOutsideMeetingDetectorTests
{
    [Fact]
    public void Detect_ClaimAfterMeetingEnded_IsStrongAndSaysByHowMuch()
    {
        var signal = Some.Detect<ClaimTimeOutsideMeetingDetector>(Some.Report(r => r.Claims!.OccurredAt = Some.MeetingEnd.AddMinutes(35)))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("35 minutes after the meeting ended", signal.Detail);
    }

    [Fact]
    public void Detect_ClaimBeforeMeetingStarted_Fires() =>
        Assert.Equal(1.0, Some.Detect<ClaimTimeOutsideMeetingDetector>(Some.Report(r => r.Claims!.OccurredAt = Some.MeetingStart.AddHours(-2)))!.Value.Strength);

    [Fact]
    public void Detect_OneMinuteAfterEnd_IsWithinClockSkew() =>
        Assert.Equal(0, Some.Detect<ClaimTimeOutsideMeetingDetector>(Some.Report(r => r.Claims!.OccurredAt = Some.MeetingEnd.AddMinutes(1)))!.Value.Strength);

    [Fact]
    public void Detect_ClaimedTimeMissing_IsUnknown() =>
        Assert.Null(Some.Detect<ClaimTimeOutsideMeetingDetector>(Some.Report(r => r.Claims!.OccurredAt = null)));

    [Fact]
    public void Detect_OffsetTimes_AreComparedAsInstants() =>
        // 20:30 in Hong Kong is 12:30 UTC: inside the meeting.
        Assert.Equal(0, Some.Detect<ClaimTimeOutsideMeetingDetector>(Some.Report(r =>
            r.Claims!.OccurredAt = new DateTimeOffset(2020, 6, 3, 20, 30, 0, TimeSpan.FromHours(8))))!.Value.Strength);
}

public class ClaimAfterReportDetectorTests
{
    [Fact]
    public void Detect_ClaimAfterReport_IsImpossible() =>
        Assert.Equal(1.0, Some.Detect<ClaimAfterReportDetector>(Some.Report(r => r.Claims!.OccurredAt = Some.Received.AddHours(1)))!.Value.Strength);

    [Fact]
    public void Detect_ClaimBeforeReport_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<ClaimAfterReportDetector>(Some.Report())!.Value.Strength);
}

public class ClaimSpeakerPresenceDetectorTests
{
    [Fact]
    public void Detect_SpeakerHadLeft_IsStrongAndShowsTheRecord()
    {
        var signal = Some.Detect<ClaimSpeakerPresenceDetector>(Some.Report(r =>
            r.Subject!.Meeting!.Participants![2] = Some.Present("u-acc", Some.MeetingStart, Some.MeetingStart.AddMinutes(30))))!.Value;
        Assert.Equal(0.9, signal.Strength);
        Assert.Contains("was not in the meeting at the claimed time", signal.Detail);
        Assert.Contains("to 2020-06-03 12:30 UTC", signal.Detail);
    }

    [Fact]
    public void Detect_SpeakerNeverAttended_IsStrong() =>
        Assert.Equal(1.0, Some.Detect<ClaimSpeakerPresenceDetector>(Some.Report(r => r.Claims!.SpeakerAccountId = "u-ghost"))!.Value.Strength);

    [Fact]
    public void Detect_SpeakerPresent_PointsToGenuine() =>
        Assert.True(Some.Detect<ClaimSpeakerPresenceDetector>(Some.Report())!.Value.Strength < 0);

    [Fact]
    public void Detect_SpeakerRejoinedBeforeClaim_IsPresent() =>
        Assert.True(Some.Detect<ClaimSpeakerPresenceDetector>(Some.Report(r =>
        {
            r.Subject!.Meeting!.Participants![2] = Some.Present("u-acc", Some.MeetingStart, Some.MeetingStart.AddMinutes(10));
            r.Subject.Meeting.Participants.Add(Some.Present("u-acc", Some.MeetingStart.AddMinutes(50), Some.MeetingEnd));
        }))!.Value.Strength < 0);

    [Fact]
    public void Detect_NoSpeakerClaimed_IsUnknown() =>
        Assert.Null(Some.Detect<ClaimSpeakerPresenceDetector>(Some.Report(r => r.Claims!.SpeakerAccountId = null)));
}

public class ClaimReporterPresenceDetectorTests
{
    [Fact]
    public void Detect_ReporterGoneAtClaimedTime_Fires() =>
        Assert.Equal(1.0, Some.Detect<ClaimReporterPresenceDetector>(Some.Report(r =>
            r.Subject!.Meeting!.Participants![1] = Some.Present("u-rep", Some.MeetingStart, Some.MeetingStart.AddMinutes(5))))!.Value.Strength);

    [Fact]
    public void Detect_ReporterThere_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<ClaimReporterPresenceDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_ReporterNeverAttended_IsLeftToAttendance() =>
        Assert.Null(Some.Detect<ClaimReporterPresenceDetector>(Some.Report(r => r.Reporter!.AccountId = "u-outsider")));
}

public class ClaimQuoteInChatDetectorTests
{
    private static Report WithChat(string quote, string speaker = "u-acc") => Some.Report(r =>
    {
        r.Claims!.Quote = quote;
        r.Subject!.Meeting!.Chat =
        [
            new ChatMessage { AccountId = "u-host", SentAt = Some.MeetingStart, Text = "Welcome, everyone." },
            new ChatMessage { AccountId = speaker, SentAt = Some.MeetingStart.AddHours(1), Text = "You people should all disappear!" },
        ];
    });

    [Fact]
    public void Detect_QuoteInChatFromSpeaker_Corroborates() =>
        Assert.True(Some.Detect<ClaimQuoteInChatDetector>(WithChat("you people should all disappear"))!.Value.Strength < 0);

    [Fact]
    public void Detect_QuoteAbsentFromChat_Fires() =>
        Assert.Equal(1.0, Some.Detect<ClaimQuoteInChatDetector>(WithChat("join the armed struggle"))!.Value.Strength);

    [Fact]
    public void Detect_QuoteFromSomeoneElse_IsWeaker()
    {
        var signal = Some.Detect<ClaimQuoteInChatDetector>(WithChat("you people should all disappear", speaker: "u-host"))!.Value;
        Assert.Equal(0.5, signal.Strength);
        Assert.Contains("not the claimed speaker", signal.Detail);
    }

    [Fact]
    public void Detect_NoChatLog_IsUnknown() =>
        Assert.Null(Some.Detect<ClaimQuoteInChatDetector>(Some.Report(r => r.Claims!.Quote = "anything")));
}

public class SevereCategoryDetectorTests
{
    [Theory]
    [InlineData("terrorism", 1.0)]
    [InlineData("child_safety", 1.0)]
    [InlineData("harassment", 0.0)]
    public void Detect_Category(string category, double strength) =>
        Assert.Equal(strength, Some.Detect<SevereCategoryDetector>(Some.Report(r => r.Category = category))!.Value.Strength);

    [Fact]
    public void Detect_ConfiguredList_IsUsed() =>
        Assert.Equal(1.0, Some.Detect<SevereCategoryDetector>(Some.Report(r => r.Category = "hate"), new ScoringOptions { SevereCategories = ["hate"] })!.Value.Strength);

    [Fact]
    public void Detect_NoCategory_IsUnknown() =>
        Assert.Null(Some.Detect<SevereCategoryDetector>(Some.Report(r => r.Category = null)));
}

public class AtRiskMeetingDetectorTests
{
    [Fact]
    public void Detect_CommemorationTitle_Fires()
    {
        var signal = Some.Detect<AtRiskMeetingDetector>(Some.Report(r => r.Subject!.Meeting!.Title = "Tiananmen Vigil 2020"))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("matches the at-risk topic \"vigil\"", signal.Detail);
    }

    [Fact]
    public void Detect_PartOfAnotherWord_DoesNotMatch() =>
        Assert.Equal(0, Some.Detect<AtRiskMeetingDetector>(Some.Report(r =>
        {
            r.Subject!.Meeting!.Title = "Vigilante films night";
            r.Subject.Meeting.StartedAt = new DateTimeOffset(2020, 9, 1, 12, 0, 0, TimeSpan.Zero);
        }))!.Value.Strength);

    [Fact]
    public void Detect_AnniversaryDate_Fires() =>
        // Some.Report's meeting is on 2020-06-03, the eve of the 4 June anniversary.
        Assert.Equal(1.0, Some.Detect<AtRiskMeetingDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_OrdinaryMeetingOnOrdinaryDay_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<AtRiskMeetingDetector>(Some.Report(r => r.Subject!.Meeting!.StartedAt = new DateTimeOffset(2020, 9, 1, 12, 0, 0, TimeSpan.Zero)))!.Value.Strength);

    [Fact]
    public void Detect_NoMeeting_IsUnknown() =>
        Assert.Null(Some.Detect<AtRiskMeetingDetector>(Some.Report(r => r.Subject!.Meeting = null)));
}

/// <summary>
/// An impersonation report says an account imitates someone: not an event the meeting's clock and attendance can
/// contradict. A victim who finds the impostor's profile hours after the meeting is not a fabricator.
/// </summary>
public class ImpersonationClaimTests
{
    private static Core.Contract.Report FoundAfterTheMeeting(string category) => Some.Report(r =>
    {
        r.Category = category;
        r.Claims!.OccurredAt = Some.MeetingEnd.AddHours(3);
        r.Claims.SpeakerAccountId = "u-impostor";
    });

    [Fact]
    public void MeetingTimeAndPresenceChecks_DoNotJudgeAnImpersonationReport()
    {
        Assert.Null(Some.Detect<ClaimTimeOutsideMeetingDetector>(FoundAfterTheMeeting("impersonation")));
        Assert.Null(Some.Detect<ClaimSpeakerPresenceDetector>(FoundAfterTheMeeting("impersonation")));
        Assert.Null(Some.Detect<ClaimReporterPresenceDetector>(FoundAfterTheMeeting("impersonation")));
    }

    [Fact]
    public void TheSameClaimAboutWordsInTheMeeting_IsStillContradicted()
    {
        Assert.Equal(1.0, Some.Detect<ClaimTimeOutsideMeetingDetector>(FoundAfterTheMeeting("harassment"))!.Value.Strength);
        Assert.Equal(1.0, Some.Detect<ClaimSpeakerPresenceDetector>(FoundAfterTheMeeting("harassment"))!.Value.Strength);
    }
}
