namespace EvidenceCheck.Core.Scoring;

/// <summary>
/// Combines a report's feature vector into a probability, with each feature's contribution in
/// log-odds so the scorer can explain it. Implementations: <see cref="RuleBasedModel"/> (the
/// documented default) and the trained ML.NET model of EvidenceCheck.Learning.
/// </summary>
public interface IScoringModel
{
    /// <summary>Shown in every score as <c>modelVersion</c>.</summary>
    string Version { get; }

    /// <summary>The feature layout the model was built for; the scorer refuses a model whose layout differs from its detectors'.</summary>
    IReadOnlyList<string> FeatureNames { get; }

    /// <summary>
    /// Scores one vector. Writes each feature's log-odds contribution into <paramref name="contributions"/>
    /// (same length as the vector) and returns the probability and the log-odds of a report with no signal.
    /// Must be safe to call from many threads at once.
    /// </summary>
    ModelOutput Predict(ReadOnlySpan<float> features, Span<double> contributions);
}

/// <param name="Probability">Calibrated probability that the report is fabricated.</param>
/// <param name="BaselineProbability">The probability the model gives a report in which nothing fired.</param>
public readonly record struct ModelOutput(double Probability, double BaselineProbability);
