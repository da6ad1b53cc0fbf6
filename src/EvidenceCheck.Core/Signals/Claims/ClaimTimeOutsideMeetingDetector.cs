namespace EvidenceCheck.Core.Signals.Claims;

/// <summary>
/// Whether the claimed time of the abuse falls inside the meeting as the platform recorded it.
/// Nothing can have been said in a meeting before it began or after it ended; a few minutes of
/// slack (<see cref="Scoring.ScoringOptions.ClockSkewMinutes"/>) allow for memory and clocks.
/// </summary>
[Signal("claims.timeOutsideMeeting", SignalFamily.Claims, Weight = 3.0)]
public sealed class ClaimTimeOutsideMeetingDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (!context.ClaimsAnEventInTheMeeting) return null;
        if (context.Report.Claims?.OccurredAt is not { } claimed || context.Meeting?.StartedAt is not { } start) return null;
        var skew = context.Options.ClockSkew;
        if (claimed < start - skew)
            return new Signal(1.0, Describe.Minutes(start - claimed), "minutes",
                $"The claimed time {Describe.Time(claimed)} is {Describe.Duration(start - claimed)} before the meeting started ({Describe.Time(start)}).");
        if (context.Meeting.EndedAt is { } end && claimed > end + skew)
            return new Signal(1.0, Describe.Minutes(claimed - end), "minutes",
                $"The claimed time {Describe.Time(claimed)} is {Describe.Duration(claimed - end)} after the meeting ended ({Describe.Time(end)}).");
        return new Signal(0, 0, "minutes", $"The claimed time {Describe.Time(claimed)} is within the meeting.");
    }
}
