using ScottPlot;

namespace EvidenceCheck.Learning.Evaluation;

/// <summary>Draws the precision–recall curve of the model with the naive rule's operating point beside it.</summary>
public static class PrCurvePlot
{
    public static void Save(EvaluationResult r, string path, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var curve = r.ModelCurve.Where(p => !double.IsNaN(p.Precision)).ToArray();
        var recall = new[] { 0.0 }.Concat(curve.Select(p => p.Recall)).ToArray();
        var precision = new[] { curve.Length > 0 ? curve[0].Precision : 1.0 }.Concat(curve.Select(p => p.Precision)).ToArray();
        var line = plot.Add.ScatterLine(recall, precision);
        line.LineWidth = 2;
        line.LegendText = $"model {r.ModelVersion} (PR-AUC {r.Model.PrAuc:0.000})";

        var op = plot.Add.Marker(r.Model.AtThreshold.Recall, r.Model.AtThreshold.Precision, MarkerShape.FilledCircle, 10);
        op.LegendText = $"model at flag threshold {r.FlagThreshold}";
        var naive = plot.Add.Marker(r.NaiveRule.AtThreshold.Recall, r.NaiveRule.AtThreshold.Precision, MarkerShape.FilledSquare, 10, Colors.OrangeRed);
        naive.LegendText = "naive rule: reporter account < 7 days";

        plot.Title($"Precision–recall on a fresh simulation (seed {r.TestSeed}, {r.TestReports} reports)");
        plot.XLabel("Recall (share of fabricated reports flagged)");
        plot.YLabel("Precision (share of flags that are fabricated)");
        plot.Axes.SetLimits(0, 1.02, 0, 1.02);
        plot.ShowLegend(Alignment.LowerLeft);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        plot.SavePng(path, width, height);
    }
}
