using EvidenceCheck.Core.Contract;
using EvidenceCheck.Learning.Evaluation;
using EvidenceCheck.Learning.Simulation;
using EvidenceCheck.Learning.Training;

namespace EvidenceCheck.Learning.Tests;

public sealed class EvaluatorTests
{
    private static readonly DateTimeOffset At = new(2020, 6, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One tree: feature "a" above 0.5 adds +1 to the raw score, else −1; Platt slope −1 makes log-odds = raw.</summary>
    private static TrainedModel OneSplitModel() => new(new ModelDocument
    {
        ModelVersion = "hand-made",
        FeatureNames = ["a", "b"],
        PlattSlope = -1,
        PlattOffset = 0,
        Trees = [new TreeDocument { Split = [0], Threshold = [0.5f], Left = [~0], Right = [~1], LeafValue = [-1, 1], NodeMean = [0] }],
    });

    [Fact]
    public void TreeWalk_HandMadeTree_GivesTheHandComputedScoreAndContribution()
    {
        var model = OneSplitModel();
        var contributions = new double[2];
        var output = model.Predict([1f, 0.3f], contributions);
        Assert.Equal(1 / (1 + Math.Exp(-1)), output.Probability, 12);
        Assert.Equal(0.5, output.BaselineProbability, 12);
        Assert.Equal(1.0, contributions[0], 12);
        Assert.Equal(0.0, contributions[1], 12);
        Assert.Equal(-1.0, (model.Predict([0f, 0.9f], contributions), contributions[0]).Item2, 12);
    }

    [Fact]
    public void Evaluate_PerfectModel_AgainstNaiveRule_OnHandMadeSet()
    {
        // Two fabricated reports of one campaign (old reporter accounts: the naive rule misses them),
        // one genuine newcomer (the naive rule flags it), one genuine established reporter.
        (string Family, bool Fabricated, string Campaign, double AgeDays, float A)[] rows =
        [
            (Families.Sleeper, true, "c-1", 400, 1), (Families.Sleeper, true, "c-1", 500, 1),
            (Families.Newcomer, false, "c-2", 1, 0), (Families.Established, false, "c-3", 900, 0),
        ];
        var data = new LabelledData
        {
            Reports = rows.Select((r, i) => new Report { ReportId = $"r-{i}", ReceivedAt = At, Reporter = new Account { AccountId = $"u-{i}", CreatedAt = At.AddDays(-r.AgeDays) } }).ToArray(),
            Labels = rows.Select((r, i) => new ReportLabel($"r-{i}", r.Fabricated, r.Family, r.Campaign)).ToArray(),
        };
        var table = new FeatureTable
        {
            FeatureNames = ["a", "b"], Rows = rows.Select(r => new[] { r.A, 0f }).ToArray(),
            Fabricated = rows.Select(r => r.Fabricated).ToArray(), Groups = rows.Select(r => r.Campaign).ToArray(),
        };
        var result = Evaluator.Evaluate(OneSplitModel(), data, table, flagThreshold: 0.5, newAccountDays: 7, testSeed: 9, testScale: 1);

        Assert.Equal(1.0, result.Model.RocAuc, 12);
        Assert.Equal(1.0, result.Model.AtThreshold.Recall, 12);
        Assert.Equal(1.0, result.Model.CampaignsCaught, 12);
        Assert.Equal(0.0, result.Model.FlagRateByFamily[Families.Newcomer], 12);
        Assert.Equal(0.0, result.NaiveRule.AtThreshold.Recall, 12);
        Assert.Equal(0.0, result.NaiveRule.CampaignsCaught, 12);
        Assert.Equal(1.0, result.NaiveRule.FlagRateByFamily[Families.Newcomer], 12);
        var markdown = Evaluator.ToMarkdown(result, "pr.png");
        Assert.Contains("| genuine.newcomer | 1 | 0.0% | 100.0% |", markdown);
        Assert.Contains("![Precision–recall curve](pr.png)", markdown);
    }

    [Fact]
    public void NaiveRule_UnknownAge_IsNotFlagged()
    {
        Assert.Equal(0, Evaluator.NaiveRule(new Report { ReceivedAt = At, Reporter = new Account { AccountId = "u" } }, 7));
        Assert.Equal(1, Evaluator.NaiveRule(new Report { ReceivedAt = At, Reporter = new Account { AccountId = "u", CreatedAt = At.AddDays(-6.9) } }, 7));
        Assert.Equal(0, Evaluator.NaiveRule(new Report { ReceivedAt = At, Reporter = new Account { AccountId = "u", CreatedAt = At.AddDays(-7) } }, 7));
    }
}

public sealed class FeatureTableTests
{
    [Fact]
    public void Measure_AsksTheCampaignHookInArrivalOrder_OnceEach()
    {
        var data = LabelledData.From(Some.Reports());
        var shuffled = new LabelledData { Reports = data.Reports.Reverse().ToArray(), Labels = data.Labels.Reverse().ToArray() };
        var asked = new List<DateTimeOffset>();
        FeatureTable.Measure(Some.Scorer(), shuffled, r => { asked.Add(r.ReceivedAt!.Value); return null; });
        Assert.Equal(data.Reports.Count, asked.Count);
        Assert.Equal(asked.Order(), asked);
    }
}
