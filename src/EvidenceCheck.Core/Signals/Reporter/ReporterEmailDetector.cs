namespace EvidenceCheck.Core.Signals.Reporter;

/// <summary>
/// Whether the reporter's email is a throwaway: a disposable-mailbox domain, or never verified.
/// The seed's conspirators registered fake email accounts; a throwaway mailbox costs nothing
/// to abandon once the meeting is down.
/// </summary>
[Signal("reporter.disposableEmail", SignalFamily.Reporter, Weight = 1.2)]
public sealed class ReporterEmailDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        var reporter = context.Reporter;
        if (reporter is null) return null;
        var domain = EvidenceCheck.Core.Evidence.CallerMetadataInspector.DomainOf(reporter.Email);
        if (domain is not null && IsDisposable(domain, context.Options.DisposableEmailDomains))
            return new Signal(1.0, 1, "flag", $"The reporter's email is on {domain}, a disposable-mailbox service.");
        if (reporter.EmailVerified is false)
            return new Signal(0.4, 1, "flag", "The reporter's email address was never verified.");
        if (domain is null && reporter.EmailVerified is null) return null;
        return new Signal(0, 0, "flag", reporter.EmailVerified is true ? "The reporter's email is verified." : $"The reporter's email domain ({domain}) is not a known disposable service.");
    }

    private static bool IsDisposable(string domain, List<string> list)
    {
        foreach (var d in list)
            // The domain itself or one under it ("x.mailinator.com"), without a new string per listed domain and report.
            if (domain.EndsWith(d, StringComparison.OrdinalIgnoreCase) && (domain.Length == d.Length || domain[domain.Length - d.Length - 1] == '.'))
                return true;
        return false;
    }
}
