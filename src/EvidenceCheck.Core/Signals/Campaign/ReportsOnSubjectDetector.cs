namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// How many other reports the subject drew in the campaign window. Volume alone is weak: a real raid
/// draws many honest reports too, so the weight is low and the other campaign signals say who filed them.
/// </summary>
[Signal("campaign.reportsOnSubject", SignalFamily.Campaign, Weight = 0.5)]
public sealed class ReportsOnSubjectDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign is not { ReportersForShares: > 0 } c) return null;
        var n = c.ReportsOnSubject;
        // 2 others is background; 64 or more is as loud as volume gets.
        var strength = n < 2 ? 0 : Math.Min(1, Math.Log2(n) / 6);
        return new Signal(strength, n, "count",
            $"{n} other report{(n == 1 ? "" : "s")} against the same subject within {c.WindowDays} days either side, from {c.DistinctReporters} other reporter{(c.DistinctReporters == 1 ? "" : "s")}.");
    }
}
