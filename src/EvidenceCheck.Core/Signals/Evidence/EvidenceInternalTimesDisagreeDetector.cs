using System.Globalization;
using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether the times inside one file agree with each other. A camera writes capture, digitised and
/// modify times together; an edit moves the modify time later, and hand-written metadata often
/// leaves an impossible order (changed before it was taken, or written before it was captured).
/// </summary>
[Signal("evidence.internalTimesDisagree", SignalFamily.Evidence, Weight = 1.0)]
public sealed class EvidenceInternalTimesDisagreeDetector : ISignalDetector
{
    /// <summary>Cameras write the three EXIF times within the same second; a minute covers slow writes and burst shots.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, Measure);

    private static Signal? Measure(EvidenceFacts f, ReportContext context)
    {
        if (f.CapturedLocal is not { } captured) return null;
        var name = EvidenceItems.Name(f) + EvidenceItems.Provenance(f);
        var findings = new List<Signal>();
        // EXIF wall-clock times of one file share the camera's zone, so they compare directly.
        if (f.ModifiedLocal is { } modified)
        {
            if (modified < captured - Slack)
                findings.Add(new Signal(1.0, Describe.Minutes(captured - modified), "minutes",
                    $"{name} says it was modified at {Wall(modified)}, {Describe.Duration(captured - modified)} before it was captured at {Wall(captured)}: impossible for a camera."));
            else if (modified > captured + Slack)
                findings.Add(new Signal(0.6, Describe.Minutes(modified - captured), "minutes",
                    $"{name} was modified at {Wall(modified)}, {Describe.Duration(modified - captured)} after it was captured at {Wall(captured)}."));
        }
        if (f.DigitizedLocal is { } digitized && (digitized - captured).Duration() > Slack)
            findings.Add(new Signal(0.5, Describe.Minutes((digitized - captured).Duration()), "minutes",
                $"{name} was digitised at {Wall(digitized)} but captured at {Wall(captured)}, {Describe.Duration(digitized - captured)} apart."));
        // PNG tIME is UTC and set when the file is written: a file cannot be written before it was captured.
        if (f.EncodedAt is { } encoded && PlausibleOffsets.Capture(f, context) is { } range && encoded < range.Earliest - context.Options.ClockSkew)
            findings.Add(new Signal(1.0, Describe.Minutes(range.Earliest - encoded), "minutes",
                $"{name} was written at {Describe.Time(encoded)} (PNG tIME), {Describe.Duration(range.Earliest - encoded)} before the capture time it records, {Wall(captured)}, under {range.Basis}."));
        if (findings.Count == 0)
            return new Signal(0, 0, "minutes", $"The times recorded in {name} agree with each other.");
        return findings.MaxBy(s => s.Strength);
    }

    private static string Wall(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
