using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether what the file is (its magic number) matches what the report says it is: its declared
/// media type, its file name's extension and its kind. A "photo" that is really a PNG is often an
/// app's conversion (weak); an "email" that is really an image is not evidence of what it claims.
/// </summary>
[Signal("evidence.typeMismatch", SignalFamily.Evidence, Weight = 1.0)]
public sealed class EvidenceTypeMismatchDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, static f => f.Source == FactSource.File && f.SizeBytes > 0, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        var name = EvidenceItems.Name(f);
        var declared = MediaTypes.Normalise(f.DeclaredMediaType);
        var byName = MediaTypes.FromFileName(f.DeclaredFileName);
        var expectedFamily = f.Kind switch
        {
            "photo" or "screenshot" => "image",
            "video" => "video",
            "audio" => "audio",
            "email" => "message",
            _ => null,
        };
        if (f.DetectedMediaType is not { } actual)
        {
            var claimed = declared ?? byName ?? (expectedFamily is null ? null : f.Kind);
            return claimed is null ? null
                : new Signal(0.7, 1, "flag", $"{name} is said to be {claimed}, but its bytes match no known file format.");
        }
        var family = Family(actual);
        if (expectedFamily is not null && family != expectedFamily && !(expectedFamily == "image" && actual == "application/pdf"))
            return new Signal(1.0, 1, "flag", $"{name} is submitted as a {f.Kind}, but its bytes are {actual}.");
        foreach (var (what, claimed) in new[] { ("declared as", declared), ("named as", byName) })
        {
            if (claimed is null || claimed == actual) continue;
            return Family(claimed) == family
                ? new Signal(0.4, 1, "flag", $"{name} is {what} {claimed}, but its bytes are {actual}: converted or renamed since capture.")
                : new Signal(1.0, 1, "flag", $"{name} is {what} {claimed}, but its bytes are {actual}.");
        }
        return declared is null && byName is null && expectedFamily is null
            ? null
            : new Signal(0, 0, "flag", $"{name} is {actual}, as declared.");
    }

    private static string Family(string mediaType) => mediaType.Split('/')[0];
}
