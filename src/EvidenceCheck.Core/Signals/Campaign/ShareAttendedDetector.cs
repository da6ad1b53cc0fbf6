namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// Share of the subject's reporters the platform recorded in the meeting. The seed's conspirators
/// often never joined the meetings they reported; witnesses of a real raid were there.
/// </summary>
[Signal("campaign.shareAttended", SignalFamily.Campaign, Weight = 2.0)]
public sealed class ShareAttendedDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign?.ShareReportersAttended is not { } share) return null;
        // Half present is neutral; none present is full strength. Presence is capped as a defence
        // (infiltrators do join), so it lowers the score but cannot clear a report by itself.
        var strength = Math.Clamp((0.5 - share) * 2, -0.75, 1);
        return new Signal(strength, share, "ratio",
            $"{share:P0} of the {context.Campaign.ReportersForShares} reporters of this meeting appear in its participant list.");
    }
}
