using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Learning.Simulation;
using EvidenceCheck.Learning.Training;

namespace EvidenceCheck.Learning.Tests;

/// <summary>Small seeded test data: simulated reports, a scorer with the real detector catalogue, a trained model.</summary>
internal static class Some
{
    public static readonly DateTimeOffset TrainedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly Lazy<IReadOnlyList<LabelledReport>> SmallSet = new(() => PlatformSimulator.Run(new SimulationOptions { Seed = 11, Scale = 0.03 }));

    /// <summary>About 300 reports, every family present (shared: do not mutate).</summary>
    public static IReadOnlyList<LabelledReport> Reports() => SmallSet.Value;

    public static DetectorCatalog Catalog() => DetectorCatalog.Discover();

    public static ReportScorer Scorer(IScoringModel? model = null, DetectorCatalog? catalog = null) =>
        new(catalog ?? Catalog(), new ScoringOptions(), TimeProvider.System, model);

    public static TrainingOptions QuickTraining() => new() { NumberOfTrees = 30, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 5, Threads = 1 };
}

/// <summary>One small model, trained once for the tests that need one; its file is deleted after them.</summary>
public sealed class TrainedFixture : IDisposable
{
    public TrainedFixture()
    {
        var data = LabelledData.From(PlatformSimulator.Run(new SimulationOptions { Seed = 5, Scale = 0.06 }));
        Table = FeatureTable.Measure(Some.Scorer(), data, maxParallelism: 1);
        Result = ModelTrainer.Train(Table, Some.QuickTraining(), Some.TrainedAt);
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ec-model-{Guid.NewGuid():N}.zip");
        ModelTrainer.Save(Result, Path, ModelTrainer.SeedsOf(data.Reports.Select(r => r.ReportId)));
    }

    public FeatureTable Table { get; }
    public ModelTrainer.Result Result { get; }
    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
