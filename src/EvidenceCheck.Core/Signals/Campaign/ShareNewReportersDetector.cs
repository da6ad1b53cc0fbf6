namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// Share of the subject's reporters whose accounts were new when they reported. The seed's campaign
/// was filed from accounts made for it; the people in a meeting that was really disrupted are mostly
/// established users, so a low share points the other way.
/// </summary>
[Signal("campaign.shareNewReporters", SignalFamily.Campaign, Weight = 2.5)]
public sealed class ShareNewReportersDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign?.ShareNewReporters is not { } share) return null;
        // 20% new is an ordinary mix; from there to 80% the signal grows to full strength.
        var strength = share >= 0.2 ? Math.Min(1, (share - 0.2) / 0.6) : -0.5 * (0.2 - share) / 0.2;
        return new Signal(strength, share, "ratio",
            $"{share:P0} of the {context.Campaign.ReportersForShares} reporters of this subject had accounts younger than {context.Options.NewAccountDays:0.#} days when they reported.");
    }
}
