namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// Other reporters of the subject whose accounts were created within a day of this reporter's:
/// fake accounts are made in batches. Measured against the subject's reporter count, so a subject
/// reported by thousands of long-standing users does not light up by coincidence.
/// </summary>
[Signal("campaign.signupCohort", SignalFamily.Campaign, Weight = 1.5)]
public sealed class SignupCohortDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign is not { ReporterCreatedKnown: true, ReportersForShares: > 0 } c) return null;
        var n = c.ReportersInSignupCohort;
        var fraction = c.DistinctReporters == 0 ? 0 : (double)n / c.DistinctReporters;
        // One other account the same day happens; a batch that is a large part of the reporters does not.
        var strength = n < 2 ? 0 : Math.Min(1, (n - 1) / 4.0) * Math.Min(1, fraction / 0.5);
        return new Signal(strength, n, "count",
            n == 0 ? "No other reporter of this subject created their account around the same time."
                : $"{n} other reporter{(n == 1 ? "" : "s")} of this subject created their accounts within {c.SignupCohortDays} day{(c.SignupCohortDays == 1 ? "" : "s")} of this reporter's ({fraction:P0} of the other reporters).");
    }
}
