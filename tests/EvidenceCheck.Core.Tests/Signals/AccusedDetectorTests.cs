using EvidenceCheck.Core.Signals.Accused;

namespace EvidenceCheck.Core.Tests.Signals;

public class AccusedAccountAgeDetectorTests
{
    [Fact]
    public void Detect_AccusedHoursOld_Fires() =>
        Assert.Equal(1.0, Some.Detect<AccusedAccountAgeDetector>(Some.Report(r => r.Subject!.Accounts![0].CreatedAt = Some.Received.AddHours(-3)))!.Value.Strength);

    [Fact]
    public void Detect_EstablishedAccused_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<AccusedAccountAgeDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_NoAccused_IsUnknown() =>
        Assert.Null(Some.Detect<AccusedAccountAgeDetector>(Some.Report(r => r.Subject!.Accounts = null)));
}

public class AccusedImitatesParticipantDetectorTests
{
    private static EvidenceCheck.Core.Contract.Account FakeHost(string name = "Jane  Host.") =>
        Some.Account("u-fake", Some.Received.AddHours(-3), name);

    [Fact]
    public void Detect_NewProfileInTheHostsName_IsStrongAndNamesTheHost()
    {
        var signal = Some.Detect<AccusedImitatesParticipantDetector>(Some.Report(r => r.Subject!.Accounts = [FakeHost()]))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("imitating the meeting's host u-host", signal.Detail);
    }

    [Fact]
    public void Detect_LookAlikeCyrillicLetters_StillCaught() =>
        Assert.Equal(1.0, Some.Detect<AccusedImitatesParticipantDetector>(Some.Report(r => r.Subject!.Accounts = [FakeHost("Jаne Hоst")]))!.Value.Strength);

    [Theory]
    [InlineData("Jáné Hóst")]
    [InlineData("Ｊａｎｅ Ｈｏｓｔ")]
    [InlineData("Jane\u0301 Ho\u0308st")]
    public void Detect_AccentsAndFullWidthLetters_StillCaught(string name) =>
        Assert.Equal(1.0, Some.Detect<AccusedImitatesParticipantDetector>(Some.Report(r => r.Subject!.Accounts = [FakeHost(name)]))!.Value.Strength);

    [Fact]
    public void Detect_VictimReportsTheirImpersonator_PointsToGenuine()
    {
        var signal = Some.Detect<AccusedImitatesParticipantDetector>(Some.Report(r =>
        {
            r.Reporter!.DisplayName = "Jane Host";
            r.Reporter.AccountId = "u-host";
            r.Subject!.Accounts = [FakeHost()];
        }))!.Value;
        Assert.True(signal.Strength < 0);
        Assert.Contains("victim reporting an impersonator", signal.Detail);
    }

    [Fact]
    public void Detect_OldAccountSharingACommonName_IsANamesakeNotAFake() =>
        Assert.Equal(0, Some.Detect<AccusedImitatesParticipantDetector>(Some.Report(r =>
            r.Subject!.Accounts = [Some.Account("u-other", Some.Received.AddYears(-5), "Jane Host")]))!.Value.Strength);

    [Fact]
    public void Detect_DifferentName_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<AccusedImitatesParticipantDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_NoAccused_IsUnknown() =>
        Assert.Null(Some.Detect<AccusedImitatesParticipantDetector>(Some.Report(r => r.Subject!.Accounts = [])));
}

public class AccusedAbsentFromMeetingDetectorTests
{
    [Fact]
    public void Detect_AccusedNeverJoined_IsStrong()
    {
        var signal = Some.Detect<AccusedAbsentFromMeetingDetector>(Some.Report(r => r.Subject!.Accounts = [Some.Account("u-ghost")]))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("u-ghost", signal.Detail);
    }

    [Fact]
    public void Detect_AccusedWasThere_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<AccusedAbsentFromMeetingDetector>(Some.Report())!.Value.Strength);

    [Fact]
    public void Detect_NoAttendanceRecord_IsUnknown() =>
        Assert.Null(Some.Detect<AccusedAbsentFromMeetingDetector>(Some.Report(r => r.Subject!.Meeting!.Participants = [])));
}

public class AccusedLinkedToReporterDetectorTests
{
    [Fact]
    public void Detect_SharedDevice_IsStrong()
    {
        var signal = Some.Detect<AccusedLinkedToReporterDetector>(Some.Report(r => r.Subject!.Accounts![0].DeviceIds = ["d-rep"]))!.Value;
        Assert.Equal(1.0, signal.Strength);
        Assert.Contains("device d-rep", signal.Detail);
    }

    [Fact]
    public void Detect_AccusedSignedUpFromTheReportersAddress_IsStrong() =>
        Assert.Equal(1.0, Some.Detect<AccusedLinkedToReporterDetector>(Some.Report(r => r.Subject!.Accounts![0].SignupIp = "198.51.100.7"))!.Value.Strength);

    [Fact]
    public void Detect_UnrelatedDevices_DoesNotFire() =>
        Assert.Equal(0, Some.Detect<AccusedLinkedToReporterDetector>(Some.Report(r => r.Subject!.Accounts![0].DeviceIds = ["d-other"]))!.Value.Strength);

    [Fact]
    public void Detect_NothingKnownOfTheAccused_IsUnknown() =>
        Assert.Null(Some.Detect<AccusedLinkedToReporterDetector>(Some.Report()));
}
