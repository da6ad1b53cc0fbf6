using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether the pixel size the EXIF block claims (ExifImageWidth/Height, written at capture) matches
/// the size the image really has. Editors that re-save a photo usually copy the camera's EXIF and
/// leave it stale: a different size means resized; a different shape means cropped.
/// </summary>
[Signal("evidence.exifSizeMismatch", SignalFamily.Evidence, Weight = 1.0)]
public sealed class EvidenceExifSizeMismatchDetector : ISignalDetector
{
    /// <summary>Aspect ratios this close are the same shape (rounding when scaling).</summary>
    private const double SameShape = 0.01;

    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        if (f is not { ExifWidth: > 0 and var ew, ExifHeight: > 0 and var eh, PixelWidth: > 0 and var pw, PixelHeight: > 0 and var ph }) return null;
        var sizes = $"{EvidenceItems.Name(f)}'s EXIF says {ew}×{eh} but the image is {pw}×{ph}{EvidenceItems.Provenance(f)}";
        // A rotated photo may record its size before or after rotation: both orders are the same picture.
        if ((ew == pw && eh == ph) || (ew == ph && eh == pw))
            return new Signal(0, 1, "ratio", $"{EvidenceItems.Name(f)} is {pw}×{ph}, as its EXIF says.");
        double exifShape = (double)Math.Max(ew, eh) / Math.Min(ew, eh);
        double realShape = (double)Math.Max(pw, ph) / Math.Min(pw, ph);
        var scale = Math.Round((double)pw * ph / ((double)ew * eh), 4);
        return Math.Abs(exifShape / realShape - 1) <= SameShape
            ? new Signal(0.6, scale, "ratio", $"{sizes}: it was resized and re-saved after capture.")
            : new Signal(1.0, scale, "ratio", $"{sizes}: it was cropped and re-saved after capture.");
    }
}
