using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether a file said to be a camera photo carries no capture metadata at all. Weak by design:
/// messaging apps and upload forms strip metadata from genuine photos, and screenshots often have
/// none to begin with, so this means "cannot be verified from the file", never "fabricated".
/// </summary>
[Signal("evidence.metadataStripped", SignalFamily.Evidence, Weight = 0.6)]
public sealed class EvidenceMetadataStrippedDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, static f => f.Readable && f.Source == FactSource.File, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        if (f.MetadataStripped is not { } stripped) return null;
        var name = EvidenceItems.Name(f);
        if (!stripped) return new Signal(0, 0, "flag", $"{name} carries its capture metadata.");
        var cameraFormat = f.DetectedMediaType is "image/jpeg" or "image/heic" or "image/heif";
        var strength = f.Kind switch
        {
            "photo" => 1.0,
            "screenshot" => 0.2,
            _ when f.ScreenshotMarker is not null => 0.2,
            _ when cameraFormat => 0.5,
            _ => 0.2,
        };
        var what = f.Kind == "photo" ? "a camera photo" : f.Kind is { } k ? $"a {k}" : "an image";
        return new Signal(strength, 1, "flag",
            $"{name} is submitted as {what} but carries no capture time, camera or software: it cannot be verified from the file (stripped, or re-saved by an app), which is not itself a sign of fabrication.");
    }
}
