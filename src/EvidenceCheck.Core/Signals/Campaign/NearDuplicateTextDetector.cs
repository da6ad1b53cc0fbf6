namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// Other reports, by other reporters, whose text is a near-copy of this one (MinHash over word
/// 3-shingles). Coordinated reports reuse a script; witnesses use their own words.
/// </summary>
[Signal("campaign.nearDuplicateText", SignalFamily.Campaign, Weight = 2.0)]
public sealed class NearDuplicateTextDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign is not { TextComparable: true } c) return null;
        var n = c.NearDuplicateReports;
        if (n == 0 || c.MaxTextSimilarity is not { } similarity)
            return new Signal(0, 0, "count", "No other reporter filed a near-copy of this report's text.");
        var strength = Math.Min(1, 0.6 + 0.1 * n);
        return new Signal(strength, n, "count",
            $"{n} other report{(n == 1 ? "" : "s")} by other reporters {(n == 1 ? "has" : "have")} near-identical text (similarity {similarity:0.00}).");
    }
}
