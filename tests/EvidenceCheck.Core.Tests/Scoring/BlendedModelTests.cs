using EvidenceCheck.Core.Scoring;

namespace EvidenceCheck.Core.Tests.Scoring;

public class BlendedModelTests
{
    /// <summary>A stand-in for a trained model: log-odds = baseline + Σ weight × feature.</summary>
    private sealed class Linear(string[] names, double baseline, double[] weights) : IScoringModel
    {
        public string Version => "linear-test";
        public IReadOnlyList<string> FeatureNames => names;

        public ModelOutput Predict(ReadOnlySpan<float> features, Span<double> contributions)
        {
            var logit = baseline;
            for (var i = 0; i < weights.Length; i++) logit += contributions[i] = weights[i] * features[i];
            return new ModelOutput(RuleBasedModel.Sigmoid(logit), RuleBasedModel.Sigmoid(baseline));
        }
    }

    private static readonly string[] Names = ["a", "b"];
    private static readonly Linear Trained = new(Names, -2, [4, 0]), Rules = new(Names, -3, [1, 2]);

    [Fact]
    public void Score_IsTheWeightedMeanOfLogOdds_AndTheReasonsStillAddUpToIt()
    {
        var blend = new BlendedModel(Trained, Rules, rulesShare: 0.5);
        var contributions = new double[2];

        var output = blend.Predict([1f, 1f], contributions);

        // trained: -2 + 4 = 2; rules: -3 + 1 + 2 = 0; half each: 1.
        Assert.Equal(RuleBasedModel.Sigmoid(1), output.Probability, 12);
        Assert.Equal(RuleBasedModel.Sigmoid(-2.5), output.BaselineProbability, 12);
        Assert.Equal([2.5, 1.0], contributions);
        Assert.Equal(BlendedModel.Logit(output.Probability), BlendedModel.Logit(output.BaselineProbability) + contributions.Sum(), 9);
    }

    [Fact]
    public void Share_ZeroIsTheTrainedModel_OneIsTheRules()
    {
        var c = new double[2];
        Assert.Equal(RuleBasedModel.Sigmoid(2), new BlendedModel(Trained, Rules, 0).Predict([1f, 1f], c).Probability, 12);
        Assert.Equal(RuleBasedModel.Sigmoid(0), new BlendedModel(Trained, Rules, 1).Predict([1f, 1f], c).Probability, 12);
    }

    [Fact]
    public void AProbabilityRoundedToOne_StaysFinite()
    {
        var certain = new Linear(Names, 50, [0, 0]);
        var output = new BlendedModel(certain, Rules, 0.5).Predict([0f, 0f], new double[2]);
        Assert.True(double.IsFinite(output.Probability) && output.Probability > 0.99);
    }

    [Fact]
    public void Version_NamesBoth_AndAShareOtherThanHalf()
    {
        Assert.Equal("linear-test+linear-test", new BlendedModel(Trained, Rules, 0.5).Version);
        Assert.Equal("linear-test+linear-test(0.3)", new BlendedModel(Trained, Rules, 0.3).Version);
    }

    [Fact]
    public void Scorer_BlendsATrainedModel_ButNotTheRulesWithThemselves_NorAtShareZero()
    {
        var catalog = EvidenceCheck.Core.Signals.DetectorCatalog.Discover();
        var trained = new Linear([.. catalog.FeatureNames], -1, new double[catalog.FeatureNames.Count]);
        var options = new ScoringOptions();

        Assert.IsType<BlendedModel>(ReportScorer.AsShipped(trained, catalog, options));
        Assert.IsType<RuleBasedModel>(ReportScorer.AsShipped(null, catalog, options));
        Assert.Same(trained, ReportScorer.AsShipped(trained, catalog, new ScoringOptions { RulesShare = 0 }));
        Assert.Contains("RulesShare", string.Join(" ", new ScoringOptions { RulesShare = 1.5 }.Problems()));
    }
}
