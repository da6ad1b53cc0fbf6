namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// Other reporters of the same subject who filed from this report's IP range (/24, /48), or whose
/// accounts were created from the same range as this reporter's: many "different people" working
/// from one place.
/// </summary>
[Signal("campaign.sharedNetwork", SignalFamily.Campaign, Weight = 2.0)]
public sealed class SharedNetworkDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign is not { ReportersForShares: > 0 } c) return null;
        if (context.Report.ReporterSession?.Ip is null && context.Reporter?.SignupIp is null) return null;
        var n = Math.Max(c.ReportersSharingNetwork, c.ReportersSharingSignupNetwork);
        var strength = n switch { 0 => 0, 1 => 0.5, 2 => 0.75, _ => 1.0 };
        var where = c.ReportersSharingNetwork >= c.ReportersSharingSignupNetwork ? "filed from the same IP range as this report" : "created their accounts from the same IP range as this reporter";
        return new Signal(strength, n, "count",
            n == 0 ? "No other reporter of this subject shares this reporter's IP range." : $"{n} other reporter{(n == 1 ? "" : "s")} of this subject {where}.");
    }
}
