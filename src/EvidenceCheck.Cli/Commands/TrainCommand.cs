using System.Diagnostics;
using System.Reflection;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Learning.Training;

namespace EvidenceCheck.Cli.Commands;

/// <summary>evidencecheck train: measures labelled reports with the scorer's detectors and trains the calibrated model.</summary>
internal sealed class TrainCommand : ICliCommand
{
    public string Name => "train";
    public string Summary => "Train the ML.NET model on labelled reports (FastTree, calibrated).";
    public string Usage => """
        Usage: evidencecheck train --data reports.jsonl --labels labels.jsonl --out samples/model/evidencecheck-model.zip
                                   [--seed N] [--trees N] [--leaves N]

          --data FILE     reports, one v1 report per line (e.g. from evidencecheck simulate)
          --labels FILE   their labels, one {reportId, fabricated, family, campaignId} per line
          --out FILE      the model file to write (a zip: model.json + the ML.NET model)
          --seed N        ML.NET and split seed (default 20200604)
          --trees N       boosted trees (default 100); --leaves N leaves per tree (default 16)
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var o = CommandOptions.Parse(args, ["--data", "--labels", "--out", "--seed", "--trees", "--leaves"], []);
        var options = new TrainingOptions();
        if (o.Int("--seed") is { } seed) options.Seed = seed;
        if (o.Int("--trees") is { } trees) options.NumberOfTrees = trees;
        if (o.Int("--leaves") is { } leaves) options.NumberOfLeaves = leaves;
        var outPath = o.Required("--out");

        var clock = Stopwatch.StartNew();
        var data = LabelledData.Read(o.Required("--data"), o.Required("--labels"));
        var read = clock.Elapsed;
        var scorer = ScorerSetup.Create(new ScoringOptions(), TimeProvider.System);
        cancel.ThrowIfCancellationRequested();
        clock.Restart();
        var table = FeatureTable.Measure(scorer, data, ScorerSetup.Campaigns(scorer.Options));
        var measured = clock.Elapsed;
        cancel.ThrowIfCancellationRequested();
        clock.Restart();
        var result = ModelTrainer.Train(table, options, TimeProvider.System.GetUtcNow());
        var trained = clock.Elapsed;
        ModelTrainer.Save(result, outPath, ModelTrainer.SeedsOf(data.Reports.Select(r => r.ReportId)));

        var d = result.Model.Document;
        await io.Error.WriteLineAsync(
            $"train: {data.Reports.Count} reports ({data.Skipped} skipped), {table.FeatureNames.Count} features, {table.DetectorFailures} detector failures\n" +
            $"  read {read.TotalSeconds:0.0} s, measure {measured.TotalSeconds:0.0} s, train+calibrate {trained.TotalSeconds:0.0} s " +
            $"({d.TrainingReports} training, {d.CalibrationReports} calibration reports)\n" +
            $"  model {d.ModelVersion} → {outPath}");
        return 0;
    }
}
