using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Learning.Simulation;
using EvidenceCheck.Learning.Training;
using Microsoft.ML;

namespace EvidenceCheck.Benchmarks;

/// <summary>
/// Issue 4's two numbers: training time on 100k simulated reports (target: under a minute), and the
/// trained model's prediction + per-feature attribution cost per report (the tree walk), beside
/// ML.NET's own PredictionEngine (prediction only, no attributions). Run in Release:
/// <c>dotnet run -c Release --project tests/EvidenceCheck.Benchmarks -- train [--scale 10] [--stand-in]</c>.
/// </summary>
public static class TrainBenchmark
{
    public static Task<int> Run(string[] args)
    {
        var scale = Option(args, "--scale", 10.0);
        var seed = (int)Option(args, "--seed", 1);
        var w = Console.Out;

        var clock = Stopwatch.StartNew();
        var data = LabelledData.From(PlatformSimulator.Run(new SimulationOptions { Seed = seed, Scale = scale }));
        var simulate = clock.Elapsed;

        var scorer = new ReportScorer(DetectorCatalog.Discover(), new ScoringOptions(), TimeProvider.System, inspector: new EvidenceCheck.Forensics.FileEvidenceInspector());

        clock.Restart();
        var table = FeatureTable.Measure(scorer, data);
        var measure = clock.Elapsed;
        clock.Restart();
        var result = ModelTrainer.Train(table, new TrainingOptions(), TimeProvider.System.GetUtcNow());
        var train = clock.Elapsed;

        var model = result.Model;
        var sample = table.Rows.Take(20_000).ToArray();
        var contributions = new double[model.FeatureNames.Count];
        var walk = PerReport(sample, row => model.Predict(row, contributions));

        var engine = result.Context.Model.CreatePredictionEngine<ModelTrainer.Row, ModelTrainer.Output>(result.MlNetModel,
            inputSchemaDefinition: ModelTrainer.Schema(model.FeatureNames.Count));
        var input = new ModelTrainer.Row();
        var mlnet = PerReport(sample, row => { input.Features = row; engine.Predict(input); });

        // ML.NET's own attributions, for comparison: FeatureContributionCalculation on the same trees.
        var ml = result.Context;
        var view = ml.Data.LoadFromEnumerable(sample.Take(100).Select(r => new ModelTrainer.Row { Features = r }), ModelTrainer.Schema(model.FeatureNames.Count));
        var contributionsTransform = ml.Transforms.CalculateFeatureContribution(result.Trees, numberOfPositiveContributions: model.FeatureNames.Count,
            numberOfNegativeContributions: model.FeatureNames.Count, normalize: false).Fit(result.Trees.Transform(view));
        var fccEngine = ml.Model.CreatePredictionEngine<ModelTrainer.Row, WithContributions>(result.Trees.Append(contributionsTransform),
            inputSchemaDefinition: ModelTrainer.Schema(model.FeatureNames.Count));
        var fcc = PerReport(sample, row => { input.Features = row; fccEngine.Predict(input); });

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            ## Training benchmark (seed {seed}, scale {scale}: {data.Reports.Count} reports, {scorer.Catalog.FeatureNames.Count} features, {Environment.ProcessorCount} cores)

            | step | time |
            |---|---:|
            | simulate | {simulate.TotalSeconds:0.0} s |
            | measure features (all detectors, parallel) | {measure.TotalSeconds:0.0} s |
            | train FastTree ({result.Model.Document.Options.NumberOfTrees} trees × {result.Model.Document.Options.NumberOfLeaves} leaves) + Platt calibration | {train.TotalSeconds:0.0} s |

            | per report, one thread | µs |
            |---|---:|
            | TrainedModel.Predict: probability + per-feature contributions (tree walk) | {walk:0.00} |
            | ML.NET PredictionEngine.Predict: probability only | {mlnet:0.00} |
            | ML.NET PredictionEngine.Predict with FeatureContributionCalculation | {fcc:0.00} |
            """));
        return Task.FromResult(0);
    }

    private sealed class WithContributions
    {
        public float Score { get; set; }
        public float[] FeatureContributions { get; set; } = [];
    }

    /// <summary>Mean µs per call over the sample, after a warm-up pass (JIT tiering), best of three passes.</summary>
    private static double PerReport(float[][] rows, Action<float[]> act)
    {
        foreach (var r in rows) act(r);
        var best = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var r in rows) act(r);
            best = Math.Min(best, clock.Elapsed.TotalMicroseconds / rows.Length);
        }
        return best;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
