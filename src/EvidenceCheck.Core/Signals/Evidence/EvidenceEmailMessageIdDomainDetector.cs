using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether an email's Message-ID was minted by the sender's domain. Mail clients and servers name
/// themselves in the Message-ID; one from an unrelated domain says another system created the
/// message. Many legitimate services do this, so the weight is small.
/// </summary>
[Signal("evidence.emailMessageIdDomain", SignalFamily.Evidence, Weight = 0.5)]
public sealed class EvidenceEmailMessageIdDomainDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        if (f.MessageIdDomain is not { } minted || f.EmailFromDomain is not { } from) return null;
        var name = EvidenceItems.Name(f) + EvidenceItems.Provenance(f);
        if (EvidenceItems.Aligned(minted, from))
            return new Signal(0, 0, "flag", $"{name}'s Message-ID comes from {minted}, the sender's domain.");
        return new Signal(1.0, 1, "flag",
            $"{name} claims to be from {from}, but its Message-ID was minted by {minted}.");
    }
}
