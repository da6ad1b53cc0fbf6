namespace EvidenceCheck.Core.Signals.Reporter;

/// <summary>
/// How the reporter's earlier reports fared. Many reports of which few were upheld is the mark
/// of someone who reports to silence; a record of upheld reports is the mark of a reliable
/// witness. Fewer than three reports say nothing either way.
/// </summary>
[Signal("reporter.trackRecord", SignalFamily.Reporter, Weight = 1.0)]
public sealed class ReporterTrackRecordDetector : ISignalDetector
{
    private const int MinimumHistory = 3;

    public Signal? Detect(ReportContext context)
    {
        if (context.Reporter is not { ReportsFiled: { } filed, ReportsUpheld: { } upheld }) return null;
        if (filed < MinimumHistory)
            return new Signal(0, filed, "reports", $"The reporter has filed {filed} earlier report(s), too few to judge.");
        var ratio = (double)upheld / filed;
        var strength = ratio < 0.1 ? 0.8 : ratio < 0.25 ? 0.4 : ratio >= 0.6 ? -0.5 : 0;
        return new Signal(strength, Math.Round(ratio, 3), "ratio",
            $"{upheld} of the reporter's {filed} earlier reports were upheld ({ratio:P0}).");
    }
}
