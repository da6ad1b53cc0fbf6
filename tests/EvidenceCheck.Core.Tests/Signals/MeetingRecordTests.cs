using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Core.Tests.Signals;

/// <summary>The attendance record's lookups: every entry of an account, in the record's order, and nobody else's.</summary>
public class MeetingRecordTests
{
    private static Participant At(string? id, int joinedMinute, int? leftMinute = null) => new()
    {
        AccountId = id!, JoinedAt = Some.MeetingStart.AddMinutes(joinedMinute), LeftAt = leftMinute is { } l ? Some.MeetingStart.AddMinutes(l) : null,
    };

    [Fact]
    public void AnAccountThatRejoined_HasEveryStretch_InTheRecordsOrder()
    {
        var record = new MeetingRecord(new Meeting
        {
            MeetingId = "m", StartedAt = Some.MeetingStart, EndedAt = Some.MeetingEnd,
            Participants = [At("u-b", 0, 10), At("u-a", 50, 60), At("u-ab", 0, 5), null!, At("", 1), At("u-a", 5, 20), At("u-c", 30)],
        });

        Assert.Equal(4, record.AccountCount);
        Assert.Equal([50.0, 5.0], record.Stretches("u-a").ToArray().Select(s => (s.JoinedAt!.Value - Some.MeetingStart).TotalMinutes));
        Assert.Single(record.Stretches("u-ab").ToArray());
        Assert.True(record.Stretches("u-").IsEmpty);
        Assert.False(record.IsParticipant("u-z"));
        Assert.True(record.IsParticipant("u-c"));
        Assert.Equal(TimeSpan.FromMinutes(25), record.TimePresent("u-a"));
        Assert.True(record.WasPresentAt("u-a", Some.MeetingStart.AddMinutes(55), TimeSpan.Zero));
        Assert.False(record.WasPresentAt("u-a", Some.MeetingStart.AddMinutes(30), TimeSpan.Zero));
        Assert.Equal((Some.MeetingStart.AddMinutes(5), Some.MeetingStart.AddMinutes(60)), record.Span("u-a"));
    }

    [Fact]
    public void AnEmptyRecord_SaysNothingAboutAnyone()
    {
        var record = new MeetingRecord(new Meeting { MeetingId = "m", Participants = [] });

        Assert.False(record.HasAttendance);
        Assert.Equal(0, record.AccountCount);
        Assert.Null(record.WasPresentAt("u-a", Some.MeetingStart, TimeSpan.Zero));
        Assert.Null(record.TimePresent("u-a"));
    }
}
