namespace EvidenceCheck.Core.Signals.Context;

/// <summary>
/// Whether the report claims one of the categories that get the fastest takedowns (child safety,
/// terrorism, violent extremism by default). Fabricators pick them for exactly that reason; real
/// reporters do too, so this only raises scrutiny in combination with other signals.
/// </summary>
[Signal("context.severeCategory", SignalFamily.Context, Weight = 0.6)]
public sealed class SevereCategoryDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Report.Category is not { } category) return null;
        return context.Options.SevereCategories.Contains(category)
            ? new Signal(1.0, 1, "flag", $"The report claims \"{category}\", a category that gets the fastest takedowns.")
            : new Signal(0, 0, "flag", $"The report claims \"{category}\".");
    }
}
