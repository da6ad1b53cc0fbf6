namespace EvidenceCheck.Core.Signals.Reporter;

/// <summary>
/// Whether the report was filed from a country other than the reporter account's. Weak on its
/// own (travel, VPNs), but accounts registered "in" one country and driven from another are
/// how the seed's fake profiles were operated.
/// </summary>
[Signal("reporter.sessionCountry", SignalFamily.Reporter, Weight = 0.6)]
public sealed class ReporterSessionCountryDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Reporter?.Country is not { Length: > 0 } home || context.Report.ReporterSession?.Country is not { Length: > 0 } session)
            return null;
        return string.Equals(home, session, StringComparison.OrdinalIgnoreCase)
            ? new Signal(0, 0, "flag", $"The report was filed from the account's own country ({home}).")
            : new Signal(1.0, 1, "flag", $"The report was filed from {session}, but the reporter's account is registered in {home}.");
    }
}
