using System.Diagnostics;
using System.Reflection;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Learning.StandIn;
using EvidenceCheck.Learning.Training;

namespace EvidenceCheck.Cli.Commands;

/// <summary>evidencecheck train: measures labelled reports with the scorer's detectors and trains the calibrated model.</summary>
internal sealed class TrainCommand : ICliCommand
{
    public string Name => "train";
    public string Summary => "Train the ML.NET model on labelled reports (FastTree, calibrated).";
    public string Usage => """
        Usage: evidencecheck train --data reports.jsonl --labels labels.jsonl --out samples/model/evidencecheck-model.zip
                                   [--seed N] [--trees N] [--leaves N] [--stand-in]

          --data FILE     reports, one v1 report per line (e.g. from evidencecheck simulate)
          --labels FILE   their labels, one {reportId, fabricated, family, campaignId} per line
          --out FILE      the model file to write (a zip: model.json + the ML.NET model)
          --seed N        ML.NET and split seed (default 20200604)
          --trees N       boosted trees (default 100); --leaves N leaves per tree (default 16)
          --stand-in      add the stand-in detectors (for a branch without the real ones)
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var o = CommandOptions.Parse(args, ["--data", "--labels", "--out", "--seed", "--trees", "--leaves"], ["--stand-in"]);
        var options = new TrainingOptions();
        if (o.Int("--seed") is { } seed) options.Seed = seed;
        if (o.Int("--trees") is { } trees) options.NumberOfTrees = trees;
        if (o.Int("--leaves") is { } leaves) options.NumberOfLeaves = leaves;
        var outPath = o.Required("--out");

        var clock = Stopwatch.StartNew();
        var data = LabelledData.Read(o.Required("--data"), o.Required("--labels"));
        var read = clock.Elapsed;
        var scorer = LearningScorer.Create(o.Flag("--stand-in"));
        if (scorer.Catalog.FeatureNames.Count == 0)
        {
            await io.Error.WriteLineAsync("train: no detectors found, so there is nothing to learn from (on a branch without detectors, pass --stand-in).");
            return 2;
        }
        cancel.ThrowIfCancellationRequested();
        clock.Restart();
        var table = FeatureTable.Measure(scorer, data, LearningScorer.Campaigns);
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

/// <summary>
/// The scorer the learning commands measure reports with: every discovered detector (Core and
/// Forensics) and the Forensics file inspector when there is one.
/// TODO(lead): once a shared scorer factory exists (the one `score` uses), call it here instead, so
/// train, evaluate and score can never measure differently.
/// </summary>
internal static class LearningScorer
{
    public static ReportScorer Create(bool standIn, IScoringModel? model = null)
    {
        var forensics = TryLoad("EvidenceCheck.Forensics");
        var discovered = forensics is null ? DetectorCatalog.Discover() : DetectorCatalog.Discover(forensics);
        var catalog = standIn ? new DetectorCatalog(discovered.Detectors.Concat(StandInDetectors.All)) : discovered;
        return new ReportScorer(catalog, new ScoringOptions(), TimeProvider.System, model, FileInspector(forensics));
    }

    /// <summary>Campaign features: the hook for the in-memory campaign index (not on this branch yet), so null.</summary>
    public static CampaignLookup? Campaigns => null;

    private static Assembly? TryLoad(string name)
    {
        try { return Assembly.Load(name); }
        catch (FileNotFoundException) { return null; }
    }

    // Reads evidence from the files themselves when Forensics provides an inspector; else caller metadata only.
    private static IEvidenceInspector? FileInspector(Assembly? forensics) =>
        forensics?.GetTypes()
            .Where(t => typeof(IEvidenceInspector).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IEvidenceInspector)Activator.CreateInstance(t)!)
            .FirstOrDefault();
}
