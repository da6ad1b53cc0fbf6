using EvidenceCheck.Core.Contract;
using EvidenceCheck.Learning.Simulation;
using Newtonsoft.Json;

namespace EvidenceCheck.Learning.Training;

/// <summary>Reports with their labels, in one order. Reports that fail the contract are counted and left out.</summary>
public sealed class LabelledData
{
    public required IReadOnlyList<Report> Reports { get; init; }
    public required IReadOnlyList<ReportLabel> Labels { get; init; }
    /// <summary>Lines that were not valid v1 reports, or had no label.</summary>
    public int Skipped { get; init; }

    public static LabelledData From(IReadOnlyList<LabelledReport> items) =>
        new() { Reports = items.Select(i => i.Report).ToArray(), Labels = items.Select(i => i.Label).ToArray() };

    /// <summary>Reads a reports file (plain v1 JSON Lines) and its labels file, matched by reportId.</summary>
    public static LabelledData Read(string reportsPath, string labelsPath)
    {
        var labels = new Dictionary<string, ReportLabel>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(labelsPath))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var label = JsonConvert.DeserializeObject<ReportLabel>(line, ContractJson.ReadSettings)
                ?? throw new InvalidDataException($"{labelsPath}: a line is not a label.");
            labels[label.ReportId] = label;
        }
        // Parsing and validating dominates reading; each thread parses with its own reader (ReportReader.Parse).
        var lines = File.ReadLines(reportsPath).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
        var parsed = new Report?[lines.Length];
        Parallel.For(0, lines.Length, i => parsed[i] = ReportReader.Parse(lines[i]) is { Ok: true } p ? p.Report : null);
        var reports = new List<Report>();
        var matched = new List<ReportLabel>();
        var skipped = 0;
        foreach (var report in parsed)
        {
            if (report is null || !labels.TryGetValue(report.ReportId, out var label)) { skipped++; continue; }
            reports.Add(report);
            matched.Add(label);
        }
        return new LabelledData { Reports = reports, Labels = matched, Skipped = skipped };
    }

    public LabelledData Where(Func<ReportLabel, bool> keep)
    {
        var idx = Enumerable.Range(0, Reports.Count).Where(i => keep(Labels[i])).ToArray();
        return new LabelledData { Reports = idx.Select(i => Reports[i]).ToArray(), Labels = idx.Select(i => Labels[i]).ToArray() };
    }
}
