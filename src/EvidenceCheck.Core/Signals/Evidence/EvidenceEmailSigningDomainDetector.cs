using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether the domain that signed an email (DKIM d=) is the domain in its From. A message "from"
/// a victim's address but signed by an unrelated domain was sent by someone else's server.
/// Mailing lists and bulk senders also cause this, so it is a moderate signal.
/// </summary>
[Signal("evidence.emailSigningDomain", SignalFamily.Evidence, Weight = 1.0)]
public sealed class EvidenceEmailSigningDomainDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        if (f.DkimDomain is not { } signer || f.EmailFromDomain is not { } from) return null;
        var name = EvidenceItems.Name(f) + EvidenceItems.Provenance(f);
        return EvidenceItems.Aligned(signer, from)
            ? new Signal(0, 0, "flag", $"{name} is signed by {signer}, the domain of its From ({from}).")
            : new Signal(0.7, 1, "flag", $"{name} claims to be from {f.EmailFrom ?? from} but is signed by {signer}: it was sent through another domain's server.");
    }
}
