using System.Diagnostics;
using EvidenceCheck.Learning.Evaluation;
using EvidenceCheck.Learning.Simulation;
using EvidenceCheck.Learning.Training;

namespace EvidenceCheck.Cli.Commands;

/// <summary>evidencecheck evaluate: honest figures for a model — a fresh simulation it never saw, and leave-one-family-out.</summary>
internal sealed class EvaluateCommand : ICliCommand
{
    public string Name => "evaluate";
    public string Summary => "Evaluate a model on a fresh simulation, beside the naive rule; leave-one-family-out.";
    public string Usage => """
        Usage: evidencecheck evaluate --model FILE --out docs/evaluation.md [--plot docs/pr-curve.png]
                                      [--seed N] [--scale X] [--data FILE --labels FILE]
                                      [--train-seed N] [--train-scale X] [--no-lofo]

          --model FILE        the model file from evidencecheck train
          --seed N            seed of the fresh test simulation (default 1001); refused if the model was trained on it
          --scale X           size of the test simulation (default 1.0 ≈ 10,000 reports)
          --data/--labels     test on these files instead of a fresh simulation
          --train-seed N      for leave-one-family-out: simulate training data with this seed
                              (default: the model's own training seed) at --train-scale (default 1.0)
          --no-lofo           skip leave-one-family-out (it trains one model per fabricated family)
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var o = CommandOptions.Parse(args, ["--model", "--out", "--plot", "--seed", "--scale", "--data", "--labels", "--train-seed", "--train-scale"], ["--no-lofo"]);
        TrainedModel model;
        try
        {
            model = TrainedModel.Load(o.Required("--model"), ScorerSetup.Catalog.FeatureNames);
        }
        catch (ModelMismatchException e)
        {
            await io.Error.WriteLineAsync($"evaluate: {e.Message} Retrain it with the current detectors.");
            return 2;
        }
        var scorer = ScorerSetup.Create(new Core.Scoring.ScoringOptions(), TimeProvider.System, model: model);
        var outPath = o.Required("--out");
        var seed = o.Int("--seed") ?? 1001;
        var scale = o.Double("--scale") ?? 1.0;
        var clock = Stopwatch.StartNew();

        LabelledData test;
        if (o.Get("--data") is { } dataPath)
        {
            test = LabelledData.Read(dataPath, o.Required("--labels"));
            var seeds = ModelTrainer.SeedsOf(test.Reports.Select(r => r.ReportId));
            if (seeds.Intersect(model.Document.TrainingSeeds).Any())
                throw new UsageException($"the test data comes from seed(s) {string.Join(", ", seeds)}, which the model was trained on: that is not a test.");
            seed = seeds.FirstOrDefault(-1);
        }
        else
        {
            if (model.Document.TrainingSeeds.Contains(seed))
                throw new UsageException($"the model was trained on seed {seed}; evaluate on a seed it never saw (--seed).");
            test = LabelledData.From(PlatformSimulator.Run(new SimulationOptions { Seed = seed, Scale = scale }));
        }
        await io.Error.WriteLineAsync($"evaluate: {test.Reports.Count} test reports (seed {seed}) in {clock.Elapsed.TotalSeconds:0.0} s; measuring…");
        var table = FeatureTable.Measure(scorer, test, ScorerSetup.Campaigns(scorer.Options));
        cancel.ThrowIfCancellationRequested();
        var options = scorer.Options;
        // Measured as the product scores: the trained model blended with the rules (ScoringOptions.RulesShare).
        var shipped = Core.Scoring.ReportScorer.AsShipped(model, ScorerSetup.Catalog, options);
        var result = Evaluator.Evaluate(shipped, test, table, options.FlagThreshold, options.NewAccountDays, seed, scale,
            trainedAlone: ReferenceEquals(shipped, model) ? null : model);

        if (!o.Flag("--no-lofo"))
        {
            var trainSeed = o.Int("--train-seed") ?? model.Document.TrainingSeeds.FirstOrDefault(1);
            if (trainSeed == seed) throw new UsageException("--train-seed must differ from the test --seed.");
            var trainScale = o.Double("--train-scale") ?? 1.0;
            var train = LabelledData.From(PlatformSimulator.Run(new SimulationOptions { Seed = trainSeed, Scale = trainScale }));
            var trainTable = FeatureTable.Measure(scorer, train, ScorerSetup.Campaigns(scorer.Options));
            var lofoClock = Stopwatch.StartNew();
            result.LeaveOneFamilyOut = Evaluator.LeaveOneFamilyOut(trainTable, train.Labels, table, test.Labels, model.Document.Options,
                model.Document.TrainedAt, shipped, options.FlagThreshold, m => Core.Scoring.ReportScorer.AsShipped(m, ScorerSetup.Catalog, options),
                family => io.Error.WriteLine($"evaluate: leave out {family}…"));
            result.LeaveOneFamilyOutSetup = $"Training data: simulation seed {trainSeed}, scale {trainScale} ({train.Reports.Count} reports), " +
                $"the model's own TrainingOptions; {result.LeaveOneFamilyOut.Count} models trained in {lofoClock.Elapsed.TotalSeconds:0} s.";
        }
        var notes = new List<string>();
        notes.Add("Campaign features are measured as the live scorer sees them: each report against the reports before it in arrival order.");
        result.Notes = notes;

        var plot = o.Get("--plot");
        if (plot is not null) PrCurvePlot.Save(result, plot);
        CommandOptions.EnsureFolder(outPath);
        var plotLink = plot is null ? null : Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(outPath))!, Path.GetFullPath(plot));
        await File.WriteAllTextAsync(outPath, Evaluator.ToMarkdown(result, plotLink), cancel);
        await io.Error.WriteLineAsync(
            $"evaluate: PR-AUC {result.Model.PrAuc:0.000} (naive {result.NaiveRule.PrAuc:0.000}), recall@5%FPR {result.Model.RecallAt5PercentFpr:P1}, " +
            $"{clock.Elapsed.TotalSeconds:0} s → {outPath}{(plot is null ? "" : ", " + plot)}");
        return 0;
    }
}
