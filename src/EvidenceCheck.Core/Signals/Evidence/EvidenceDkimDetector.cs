using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether an email's DKIM signature verifies, as checked by EvidenceCheck with a key from its own
/// key store. A failure means the message was changed after the sending domain signed it: the
/// quoted words are not what was sent. A pass proves only that the signing domain sent these exact
/// words, not who typed them, so it counts a little towards genuine. No key means unknown, never
/// forged; a caller's or the message's own claim of "dkim=pass" counts for nothing.
/// </summary>
[Signal("evidence.dkimFailed", SignalFamily.Evidence, Weight = 2.5)]
public sealed class EvidenceDkimDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, static f => f.Readable && f.Source == FactSource.File, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        var name = EvidenceItems.Name(f);
        return f.DkimResult switch
        {
            "fail" => new Signal(1.0, 1, "flag", $"{name}: {f.DkimDetail}"),
            "pass" => new Signal(-0.2, 0, "flag", $"{name}: {f.DkimDetail}"),
            _ => null,
        };
    }
}
