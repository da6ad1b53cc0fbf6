namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// Other reporters who attached a file with the same SHA-256 as one of this report's. One fabricated
/// "proof" passed around a group is the seed's pattern; an honest witness captures their own.
/// </summary>
[Signal("campaign.sharedFiles", SignalFamily.Campaign, Weight = 2.0)]
public sealed class SharedFilesDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign is not { HasFiles: true } c) return null;
        var n = c.ReportsSharingFiles;
        var strength = n == 0 ? 0 : Math.Min(1, 0.6 + 0.2 * (n - 1));
        return new Signal(strength, n, "count",
            n == 0 ? "No other reporter attached the same files." : $"{n} other reporter{(n == 1 ? "" : "s")} attached an identical file (same SHA-256).");
    }
}
