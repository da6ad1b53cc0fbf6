using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether the capture time the reporter declares (<c>claimedCapturedAt</c>) is one the file's own
/// clock allows. Back-dating a screenshot in the report while leaving the file's metadata alone is
/// a cheap fabrication; a reporter's rounding is not, hence the tolerance.
/// </summary>
[Signal("evidence.claimedCaptureContradicted", SignalFamily.Evidence, Weight = 1.5)]
public sealed class EvidenceClaimedCaptureContradictedDetector : ISignalDetector
{
    /// <summary>People round when they declare a time ("about 14:00"); differences inside this are not held against them.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan FullStrengthAfter = TimeSpan.FromHours(2);

    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, Measure);

    private static Signal? Measure(EvidenceFacts f, ReportContext context)
    {
        if (f.ClaimedCapturedAt is not { } claimed || PlausibleOffsets.Capture(f, context) is not { } range) return null;
        var tolerance = Tolerance > context.Options.ClockSkew ? Tolerance : context.Options.ClockSkew;
        var apart = claimed < range.Earliest ? range.Earliest - claimed : claimed > range.Latest ? claimed - range.Latest : TimeSpan.Zero;
        var says = $"{EvidenceItems.Name(f)} is declared as captured at {Describe.Time(claimed)}, and the file says {PlausibleOffsets.Wall(f.CapturedLocal!.Value, f.CapturedOffset)}{EvidenceItems.Provenance(f)}";
        if (apart <= tolerance)
            return new Signal(0, Describe.Minutes(apart), "minutes", $"{says}: consistent under {range.Basis}.");
        var strength = EvidenceItems.Ramp(apart.TotalMinutes, tolerance.TotalMinutes, FullStrengthAfter.TotalMinutes, 0.3) * (range.Assumed ? 0.8 : 1.0);
        return new Signal(strength, Describe.Minutes(apart), "minutes",
            $"{says}: {Describe.Duration(apart)} apart even under {range.Basis}.");
    }
}
