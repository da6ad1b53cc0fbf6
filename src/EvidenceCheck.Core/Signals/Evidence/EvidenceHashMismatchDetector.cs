using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether the file attached is the file the report describes: its SHA-256 and size against the
/// declared <c>sha256</c> and <c>sizeBytes</c>. Only measurable when the file itself is there.
/// A different hash means the evidence was swapped or altered between description and upload.
/// </summary>
[Signal("evidence.hashMismatch", SignalFamily.Evidence, Weight = 2.0)]
public sealed class EvidenceHashMismatchDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, static f => f.Source == FactSource.File, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        var name = EvidenceItems.Name(f);
        if (f.DeclaredSha256 is { } declared && f.ComputedSha256 is { } computed)
            return declared == computed
                ? new Signal(0, 0, "flag", $"{name} has the SHA-256 the report declares.")
                : new Signal(1.0, 1, "flag", $"{name} was declared with SHA-256 {Short(declared)}, but the attached file's is {Short(computed)}: it is not the file described.");
        if (f.DeclaredSizeBytes is { } size && f.SizeBytes is { } actual && size != actual)
            return new Signal(0.8, actual - size, "bytes", $"{name} was declared as {size} bytes, but the attached file has {actual}.");
        return null;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
