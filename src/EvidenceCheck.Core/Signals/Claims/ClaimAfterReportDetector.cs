namespace EvidenceCheck.Core.Signals.Claims;

/// <summary>
/// Whether the abuse is claimed to have happened after the report was filed — impossible for a
/// witness, natural for someone who wrote the report in advance of the meeting.
/// </summary>
[Signal("claims.afterReport", SignalFamily.Claims, Weight = 3.0)]
public sealed class ClaimAfterReportDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Report.Claims?.OccurredAt is not { } claimed) return null;
        var ahead = claimed - context.ReceivedAt;
        return ahead > context.Options.ClockSkew
            ? new Signal(1.0, Describe.Minutes(ahead), "minutes",
                $"The claimed time {Describe.Time(claimed)} is {Describe.Duration(ahead)} after the report was received ({Describe.Time(context.ReceivedAt)}).")
            : new Signal(0, Describe.Minutes(ahead), "minutes", "The claimed time is before the report was received.");
    }
}
