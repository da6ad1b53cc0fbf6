using EvidenceCheck.Core.Signals;
using EvidenceCheck.Learning.Training;
using Microsoft.ML;

namespace EvidenceCheck.Learning.Tests;

public sealed class TrainedModelTests(TrainedFixture fixture) : IClassFixture<TrainedFixture>
{
    [Fact]
    public void Predict_TreeWalk_EqualsMlNetPredictionEngine()
    {
        var model = TrainedModel.Load(fixture.Path);
        var ml = new MLContext(seed: 1);
        var mlnet = ModelTrainer.LoadMlNet(ml, fixture.Path);
        var engine = ml.Model.CreatePredictionEngine<ModelTrainer.Row, ModelTrainer.Output>(mlnet,
            inputSchemaDefinition: ModelTrainer.Schema(model.FeatureNames.Count));
        var contributions = new double[model.FeatureNames.Count];
        var distinct = 0;
        foreach (var row in fixture.Table.Rows.Take(200))
        {
            var expected = engine.Predict(new ModelTrainer.Row { Features = row });
            var actual = model.Predict(row, contributions);
            Assert.Equal(expected.Probability, actual.Probability, 1e-4);
            Assert.Equal(expected.Score, model.RawScore(row), 1e-3);
            if (Math.Abs(actual.Probability - actual.BaselineProbability) > 0.05) distinct++;
        }
        Assert.True(distinct > 20, "the sample should hold reports the model does not score as average");
    }

    [Fact]
    public void Predict_Contributions_AddUpToLogOddsFromBaseline()
    {
        var model = TrainedModel.Load(fixture.Path);
        var contributions = new double[model.FeatureNames.Count];
        foreach (var row in fixture.Table.Rows.Take(100))
        {
            var output = model.Predict(row, contributions);
            Assert.Equal(Logit(output.Probability) - Logit(output.BaselineProbability), contributions.Sum(), 1e-6);
        }
    }

    [Fact]
    public void Predict_FeatureThatNeverSplits_GetsNoContribution()
    {
        var model = TrainedModel.Load(fixture.Path);
        var used = model.Document.Trees.SelectMany(t => t.Split).ToHashSet();
        var contributions = new double[model.FeatureNames.Count];
        model.Predict(fixture.Table.Rows[0], contributions);
        for (var i = 0; i < contributions.Length; i++)
            if (!used.Contains(i)) Assert.Equal(0, contributions[i]);
    }

    [Fact]
    public void Predict_FromManyThreads_GivesTheSameAsOneThread()
    {
        var model = TrainedModel.Load(fixture.Path);
        var rows = fixture.Table.Rows;
        var sequential = rows.Select(r => model.Predict(r, new double[r.Length]).Probability).ToArray();
        var parallel = new double[rows.Length];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = model.Predict(rows[i], new double[rows[i].Length]).Probability);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void Load_DifferentFeatureLayout_IsRefused()
    {
        var names = TrainedModel.Load(fixture.Path).FeatureNames;
        Assert.Throws<ModelMismatchException>(() => TrainedModel.Load(fixture.Path, names.Skip(1).ToArray()));
        Assert.Throws<ModelMismatchException>(() => TrainedModel.Load(fixture.Path, names.Reverse().ToArray()));
        TrainedModel.Load(fixture.Path, names.ToArray());
    }

    [Fact]
    public void ReportScorer_ModelFromOtherDetectors_IsRefused()
    {
        var model = TrainedModel.Load(fixture.Path);
        var fewer = new DetectorCatalog(Some.Catalog().Detectors.Skip(1));
        Assert.Throws<InvalidOperationException>(() => Some.Scorer(model, fewer));
    }

    [Fact]
    public void Score_WithTrainedModel_ExplainsWithReasonsStrongestFirst()
    {
        var model = TrainedModel.Load(fixture.Path);
        var scorer = Some.Scorer(model);
        var fabricated = Some.Reports().First(r => r.Label.Family == Simulation.Families.FreshBatch).Report;
        var result = scorer.Score(fabricated);
        // As shipped, the trained model is blended with the rules (ScoringOptions.RulesShare); the version names both.
        Assert.Equal(model.Version + "+rules-v1", result.ModelVersion);
        Assert.NotEmpty(result.Reasons);
        Assert.True(result.Reasons.Select(r => Math.Abs(r.Contribution)).SequenceEqual(result.Reasons.Select(r => Math.Abs(r.Contribution)).OrderDescending()));
    }

    [Fact]
    public void Train_SameDataAndSeed_GivesSameModel()
    {
        var again = ModelTrainer.Train(fixture.Table, Some.QuickTraining(), Some.TrainedAt);
        Assert.Equal(fixture.Result.Model.Version, again.Model.Version);
    }

    [Fact]
    public void Save_RecordsFeatureNamesContractAndTrainingSeed()
    {
        var model = TrainedModel.Load(fixture.Path);
        Assert.Equal(Some.Catalog().FeatureNames, model.FeatureNames);
        Assert.Equal("v1", model.Document.ContractVersion);
        Assert.Equal([5], model.Document.TrainingSeeds);
        Assert.StartsWith("fasttree-20260102-", model.Version);
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
