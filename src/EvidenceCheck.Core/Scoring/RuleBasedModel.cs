using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Core.Scoring;

/// <summary>
/// The documented rule-based combination, used when no trained model is configured:
/// <c>score = sigmoid(bias + Σ weightᵢ × strengthᵢ)</c>, with each detector's weight from its
/// <see cref="SignalAttribute"/> (or <see cref="ScoringOptions.Weights"/>) and bias
/// <see cref="ScoringOptions.RuleBias"/>. Each term is that signal's contribution. It is not
/// calibrated on data: read its score as an ordering, and train a model for probabilities.
/// </summary>
public sealed class RuleBasedModel : IScoringModel
{
    private readonly double[] _weights;
    private readonly double _bias;

    public RuleBasedModel(DetectorCatalog catalog, ScoringOptions options)
    {
        FeatureNames = catalog.FeatureNames;
        _weights = catalog.Detectors.Select(d => options.Weights.TryGetValue(d.Name, out var w) ? w : d.Weight).ToArray();
        _bias = options.RuleBias;
    }

    public string Version => "rules-v1";
    public IReadOnlyList<string> FeatureNames { get; }

    public ModelOutput Predict(ReadOnlySpan<float> features, Span<double> contributions)
    {
        var logit = _bias;
        for (var i = 0; i < _weights.Length; i++)
        {
            contributions[i] = _weights[i] * features[i];
            logit += contributions[i];
        }
        return new ModelOutput(Sigmoid(logit), Sigmoid(_bias));
    }

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
