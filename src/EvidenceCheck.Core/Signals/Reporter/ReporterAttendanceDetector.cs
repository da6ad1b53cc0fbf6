namespace EvidenceCheck.Core.Signals.Reporter;

/// <summary>
/// Whether the reporter was in the meeting they report, and for how long. Someone who never
/// joined cannot have seen what they describe; someone present a few minutes may have joined only
/// to say they were there. Long presence points the other way: a witness.
/// </summary>
[Signal("reporter.attendance", SignalFamily.Reporter, Weight = 2.0)]
public sealed class ReporterAttendanceDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Report.Subject?.Kind is not (null or "meeting")) return null;
        if (context.Reporter is not { } reporter || context.Presence is not { HasAttendance: true } presence) return null;
        if (!presence.IsParticipant(reporter.AccountId))
            return new Signal(1.0, 0, "minutes",
                $"The reporter ({reporter.AccountId}) is not in the meeting's attendance record of {presence.AccountCount} participants.");
        if (presence.TimePresent(reporter.AccountId, context.Report.ReceivedAt) is not { } present)
            return new Signal(-0.2, null, "minutes", $"The reporter ({reporter.AccountId}) attended the meeting; join and leave times were not recorded.");
        // Still in a meeting that is running: there, watching, whatever the time so far (a witness may report minutes after
        // joining, when the abuse starts); the time so far is told, not judged.
        if (presence.StillPresent(reporter.AccountId))
            return new Signal(-0.2, Describe.Minutes(present), "minutes",
                $"The reporter ({reporter.AccountId}) had been in the meeting for {Describe.Duration(present)} when the report came in, and was still there (the meeting is running).");
        var brief = TimeSpan.FromMinutes(context.Options.BriefPresenceMinutes);
        if (present < brief)
            return new Signal(0.6, Describe.Minutes(present), "minutes",
                $"The reporter ({reporter.AccountId}) was in the meeting for only {Describe.Duration(present)}.");
        return new Signal(-0.5, Describe.Minutes(present), "minutes",
            $"The reporter ({reporter.AccountId}) was in the meeting for {Describe.Duration(present)}.");
    }
}
