namespace EvidenceCheck.Core.Signals.Claims;

/// <summary>
/// Whether the reporter, who did attend, was in the meeting at the moment they describe. A
/// witness reports what happened while they were there; an infiltrator who joined briefly
/// reports a moment they could not have seen.
/// </summary>
[Signal("claims.reporterPresence", SignalFamily.Claims, Weight = 1.5)]
public sealed class ClaimReporterPresenceDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (!context.ClaimsAnEventInTheMeeting) return null;
        if (context.Report.Claims?.OccurredAt is not { } claimed || context.Reporter is not { } reporter) return null;
        // Absent reporters are reporter.attendance's finding; this one is about attended-but-elsewhere.
        if (context.Presence is not { HasAttendance: true } presence || !presence.IsParticipant(reporter.AccountId)) return null;
        return presence.WasPresentAt(reporter.AccountId, claimed, context.Options.ClockSkew) switch
        {
            null => null,
            true => new Signal(0, 1, "flag", $"The reporter was in the meeting at the claimed time {Describe.Time(claimed)}."),
            false => new Signal(1.0, 0, "flag", $"The reporter was not in the meeting at the claimed time {Describe.Time(claimed)}, so could not have witnessed it."),
        };
    }
}
