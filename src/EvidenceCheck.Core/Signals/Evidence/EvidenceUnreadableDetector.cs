using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether an attached file could not be read (empty, truncated, wrong format, too large, too slow).
/// Mostly upload accidents, so weak; it is here so a reviewer sees that the evidence was never
/// checked, and why, rather than reading silence as "nothing wrong with the evidence".
/// </summary>
[Signal("evidence.unreadable", SignalFamily.Evidence, Weight = 0.3)]
public sealed class EvidenceUnreadableDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        var files = context.Evidence.Where(f => f.Source == FactSource.File).ToArray();
        if (files.Length == 0) return null;
        var unreadable = files.Where(f => !f.Readable).ToArray();
        if (unreadable.Length == 0) return new Signal(0, 0, "count", "Every attached file could be read.");
        var first = unreadable[0];
        var more = unreadable.Length > 1 ? $" ({unreadable.Length - 1} more unreadable)" : "";
        return new Signal(1.0, unreadable.Length, "count",
            $"{EvidenceItems.Name(first)} could not be read ({first.UnreadableReason}), so it was not checked{more}.");
    }
}
