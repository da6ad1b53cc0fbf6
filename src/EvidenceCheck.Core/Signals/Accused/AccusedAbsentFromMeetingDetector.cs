namespace EvidenceCheck.Core.Signals.Accused;

/// <summary>
/// Whether the accused accounts were ever in the meeting they are said to have disrupted. A
/// fake profile made to frame a host is reported "in" a meeting it never joined; a real
/// disruptor is in the attendance record.
/// </summary>
[Signal("accused.absentFromMeeting", SignalFamily.Accused, Weight = 1.5)]
public sealed class AccusedAbsentFromMeetingDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Report.Subject?.Kind is not (null or "meeting")) return null;
        if (context.Accused.Count == 0 || context.Presence is not { HasAttendance: true } presence) return null;
        var absent = context.Accused.Where(a => !presence.IsParticipant(a.AccountId)).ToArray();
        if (absent.Length == 0)
            return new Signal(0, 0, "accounts", $"Every accused account ({string.Join(", ", context.Accused.Select(a => a.AccountId))}) is in the meeting's attendance record.");
        var host = context.Meeting?.HostAccountId;
        // Accusing the host is normal (they run the meeting); the host is in the record if the meeting took place.
        return new Signal(absent.Length == context.Accused.Count ? 1.0 : 0.6, absent.Length, "accounts",
            $"The accused account(s) {string.Join(", ", absent.Select(Describe.Account))} never joined the meeting{(host is null ? "" : $" hosted by {host}")}, according to its attendance record.");
    }
}
