namespace EvidenceCheck.Core.Signals;

/// <summary>The families of DESIGN.md, in the order reasons are grouped for reviewers.</summary>
public enum SignalFamily { Reporter, Accused, Claims, Evidence, Context, Campaign }

/// <summary>
/// One measurement of a report against the platform's record.
/// </summary>
/// <param name="Strength">
/// How strongly this measurement points to fabrication, from -1 (points to a genuine report) to
/// +1 (as strong as this signal gets). 0 means measured and unremarkable.
/// </param>
/// <param name="Value">The raw measurement (an age, a distance, a count), in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit of <paramref name="Value"/>: days, minutes, ratio, count, flag…</param>
/// <param name="Detail">One sentence a reviewer can check against the platform's record.</param>
public readonly record struct Signal(double Strength, double? Value, string? Unit, string Detail);

/// <summary>
/// A signal detector: one class, one method. It is discovered by <see cref="DetectorCatalog"/>
/// through this interface and its <see cref="SignalAttribute"/>; nothing registers it by hand.
/// </summary>
public interface ISignalDetector
{
    /// <summary>
    /// Measures the report. Returns null when the signal cannot be measured (a field it needs is
    /// missing): unknown is never evidence either way.
    /// </summary>
    Signal? Detect(ReportContext context);
}

/// <summary>Names a detector, its family and its weight in the documented rule-based combination.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SignalAttribute(string name, SignalFamily family) : Attribute
{
    /// <summary>The feature name, e.g. <c>reporter.accountAge</c>. Stable: models are trained on it.</summary>
    public string Name { get; } = name;
    public SignalFamily Family { get; } = family;
    /// <summary>Log-odds added to the rule-based score at strength 1 (see README, "How the score is made").</summary>
    public double Weight { get; init; } = 1.0;
}
