using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether the file names an image editor as the software that wrote it (EXIF Software, XMP
/// CreatorTool or XMP history). Editors are kept apart from camera firmware and phone OS versions
/// ("13.5.1", "HDR+ 1.0…", "G973FXXU3BTE1"), which every genuine phone photo carries and which
/// never fire, and from screenshot tools. Cropping a screenshot to hide one's own name is common,
/// so an editor on a screenshot weighs less than on a photo.
/// </summary>
[Signal("evidence.editingSoftware", SignalFamily.Evidence, Weight = 1.5)]
public sealed class EvidenceEditingSoftwareDetector : ISignalDetector
{
    /// <summary>Programs made to change what a picture shows (matched case-insensitively as substrings).</summary>
    public static readonly string[] Editors =
    [
        "photoshop", "gimp", "lightroom", "affinity photo", "pixelmator", "paint.net", "paintshop", "paint shop pro",
        "snapseed", "picsart", "canva", "photopea", "fotor", "facetune", "meitu", "inkscape", "krita", "corel",
        "luminar", "polarr", "photodirector", "airbrush", "faceapp", "befunky", "pixlr", "photoscape", "skitch",
    ];

    /// <summary>Programs that re-encode without being editors as such: the file was re-saved, not necessarily changed.</summary>
    public static readonly string[] ReEncoders = ["imagemagick", "graphicsmagick", "libvips", "picasa", "xnview", "irfanview"];

    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        var names = new List<(string Where, string Value)>();
        if (f.Software is { } sw) names.Add(("Software", sw));
        if (f.CreatorTool is { } ct) names.Add(("XMP CreatorTool", ct));
        foreach (var h in f.History ?? []) names.Add(("XMP history", h));
        if (names.Count == 0) return null;

        var screenshot = f.Kind == "screenshot" || f.ScreenshotMarker is not null;
        foreach (var (where, value) in names)
            if (Editors.FirstOrDefault(e => value.Contains(e, StringComparison.OrdinalIgnoreCase)) is not null)
                return new Signal(screenshot ? 0.6 : 1.0, 1, "flag",
                    $"{EvidenceItems.Name(f)} was written by an image editor ({where}: \"{value}\"){EvidenceItems.Provenance(f)}: what it shows may have been changed after capture.");
        foreach (var (where, value) in names)
            if (ReEncoders.FirstOrDefault(e => value.Contains(e, StringComparison.OrdinalIgnoreCase)) is not null)
                return new Signal(0.3, 1, "flag",
                    $"{EvidenceItems.Name(f)} was re-encoded by {value} ({where}){EvidenceItems.Provenance(f)}: it is not the file as captured.");
        return new Signal(0, 0, "flag", $"{EvidenceItems.Name(f)} names \"{names[0].Value}\" ({names[0].Where}), which is not a known image editor.");
    }
}
