namespace EvidenceCheck.Core.Signals.Claims;

/// <summary>
/// Whether the account the reporter says spoke was in the meeting at the claimed time. This is
/// the contradiction the seed's sleeper accounts could not avoid: they sat through the meeting,
/// then put words in the mouth of someone who was not there at that moment.
/// </summary>
[Signal("claims.speakerPresence", SignalFamily.Claims, Weight = 3.0)]
public sealed class ClaimSpeakerPresenceDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (!context.ClaimsAnEventInTheMeeting) return null;
        if (context.Report.Claims?.SpeakerAccountId is not { Length: > 0 } speaker || context.Presence is not { HasAttendance: true } presence)
            return null;
        if (!presence.IsParticipant(speaker))
            return new Signal(1.0, 0, "flag", $"The claimed speaker {speaker} is not in the meeting's attendance record at all.");
        if (context.Report.Claims.OccurredAt is not { } claimed) return null;
        var present = presence.WasPresentAt(speaker, claimed, context.Options.ClockSkew);
        if (present is null) return null;
        if (present.Value)
            return new Signal(-0.3, 1, "flag", $"The claimed speaker {speaker} was in the meeting at the claimed time {Describe.Time(claimed)}.");
        var (first, last) = presence.Span(speaker);
        var when = first is { } f && last is { } l ? $" (recorded from {Describe.Time(f)} to {Describe.Time(l)})" : "";
        return new Signal(0.9, 0, "flag", $"The claimed speaker {speaker} was not in the meeting at the claimed time {Describe.Time(claimed)}{when}.");
    }
}
