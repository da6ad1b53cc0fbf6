using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether a file's own capture time falls inside the meeting it is evidence of, and before the
/// report that submits it. A screenshot of a meeting cannot be taken before the meeting began or
/// after it ended, and no evidence can be captured after it was filed: fabricated screenshots are
/// made afterwards, and their clocks say so. Wall-clock times without an offset are judged under
/// every plausible offset (<see cref="PlausibleOffsets"/>), so only an impossibility fires.
/// </summary>
[Signal("evidence.capturedOutsideMeeting", SignalFamily.Evidence, Weight = 2.5)]
public sealed class EvidenceCapturedOutsideMeetingDetector : ISignalDetector
{
    /// <summary>Beyond the clock skew, a capture this far outside the meeting is as strong as the signal gets.</summary>
    private static readonly TimeSpan FullStrengthAfter = TimeSpan.FromMinutes(30);

    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, Measure);

    private static Signal? Measure(EvidenceFacts f, ReportContext context)
    {
        if (PlausibleOffsets.Capture(f, context) is not { } range) return null;
        var skew = context.Options.ClockSkew;
        var says = $"{EvidenceItems.Name(f)} says it was captured {PlausibleOffsets.Wall(f.CapturedLocal!.Value, f.CapturedOffset)}{EvidenceItems.Provenance(f)}";
        var basis = range.Assumed || range.Earliest != range.Latest ? $", even under {range.Basis}" : "";
        // An assumed country offset can be wrong (travel, VPN); a recorded one or the whole world's range cannot.
        var certainty = range.Assumed ? 0.8 : 1.0;

        if (range.Earliest > context.ReceivedAt + skew)
        {
            var after = range.Earliest - context.ReceivedAt;
            return new Signal(certainty, Describe.Minutes(after), "minutes",
                $"{says}: {Describe.Duration(after)} after the report was filed at {Describe.Time(context.ReceivedAt)}{basis}.");
        }
        // A screenshot of an impostor's profile can be taken whenever the victim finds it; only "after the report" is impossible.
        if (!context.ClaimsAnEventInTheMeeting || context.Meeting?.StartedAt is not { } start) return null;
        var end = context.Meeting.EndedAt ?? context.ReceivedAt;
        if (range.Earliest > end + skew)
        {
            var after = range.Earliest - end;
            var ended = context.Meeting.EndedAt is null ? $"the meeting was still running when the report arrived at {Describe.Time(end)}" : $"the meeting ended at {Describe.Time(end)}";
            return new Signal(certainty * Strength(after, skew), Describe.Minutes(after), "minutes",
                $"{says}, {Describe.Duration(after)} after {ended}{basis}.");
        }
        if (range.Latest < start - skew)
        {
            var before = start - range.Latest;
            return new Signal(certainty * Strength(before, skew), Describe.Minutes(before), "minutes",
                $"{says}, {Describe.Duration(before)} before the meeting started at {Describe.Time(start)}{basis}.");
        }
        return new Signal(0, 0, "minutes", $"{says}, which falls within the meeting ({Describe.Time(start)} to {Describe.Time(end)}) under {range.Basis}.");
    }

    /// <summary>A few minutes outside can be a lobby or a closing screen; half an hour outside cannot.</summary>
    private static double Strength(TimeSpan outside, TimeSpan skew) =>
        EvidenceItems.Ramp(outside.TotalMinutes, skew.TotalMinutes, FullStrengthAfter.TotalMinutes, 0.4);
}
