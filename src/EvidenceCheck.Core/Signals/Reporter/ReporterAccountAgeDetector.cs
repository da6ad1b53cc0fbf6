namespace EvidenceCheck.Core.Signals.Reporter;

/// <summary>
/// How old the reporter's account was when the report arrived. Fabricated reports in the seed
/// case came from accounts made for the purpose, minutes or hours before. A new account alone is
/// weak — newcomers see real abuse too — so attendance weighs against it.
/// </summary>
[Signal("reporter.accountAge", SignalFamily.Reporter, Weight = 1.5)]
public sealed class ReporterAccountAgeDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.AgeAtReport(context.Reporter) is not { } age) return null;
        if (age < TimeSpan.Zero)
            return new Signal(1.0, Describe.Days(age), "days",
                $"The reporter's account was created {Describe.Duration(age)} after the report was received — the platform's records contradict each other.");
        var strength = age.TotalHours < 1 ? 1.0
            : age.TotalDays < 1 ? 0.8
            : age < context.Options.NewAccountAge ? 0.45
            : age.TotalDays < 30 ? 0.1
            : 0.0;
        var detail = strength > 0
            ? $"The reporter's account was created {Describe.Duration(age)} before the report ({Describe.Time(context.Reporter!.CreatedAt!.Value)})."
            : $"The reporter's account is {Describe.Duration(age)} old.";
        return new Signal(strength, Describe.Days(age), "days", detail);
    }
}
