namespace EvidenceCheck.Core.Signals.Accused;

/// <summary>
/// How old the youngest accused account was when the report arrived. A profile made in the
/// victim's name is days or hours old; but raiders are new accounts too, and they are really
/// accused of real abuse — so this is weak, and imitation and links carry the weight.
/// </summary>
[Signal("accused.accountAge", SignalFamily.Accused, Weight = 0.5)]
public sealed class AccusedAccountAgeDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        Contract.Account? youngest = null;
        TimeSpan? youngestAge = null;
        foreach (var a in context.Accused)
            if (context.AgeAtReport(a) is { } age && (youngestAge is null || age < youngestAge)) { youngest = a; youngestAge = age; }
        if (youngest is null || youngestAge is not { } ageAtReport) return null;
        var strength = ageAtReport.TotalDays < 1 ? 1.0 : ageAtReport < context.Options.NewAccountAge ? 0.5 : 0;
        return new Signal(strength, Describe.Days(ageAtReport), "days",
            $"The accused account {Describe.Account(youngest)} was created {Describe.Duration(ageAtReport)} before the report.");
    }
}
