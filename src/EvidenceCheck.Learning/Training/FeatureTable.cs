using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;

namespace EvidenceCheck.Learning.Training;

/// <summary>
/// Cross-report knowledge for one report, for training and evaluation. The hook for the in-memory
/// campaign index: build the index over the data set in arrival order and return what it knew when
/// each report arrived (never later reports, or the numbers would be too good). Null = scored alone.
/// </summary>
public delegate CampaignContext? CampaignLookup(Report report);

/// <summary>The scorer's named feature vectors of a set of reports, with their labels.</summary>
public sealed class FeatureTable
{
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public required float[][] Rows { get; init; }
    public required bool[] Fabricated { get; init; }
    /// <summary>The incident each report came from; splits keep an incident's reports together so they cannot leak across.</summary>
    public required string[] Groups { get; init; }
    /// <summary>Detector failures seen while measuring (a detector that throws is left out of that report's vector).</summary>
    public int DetectorFailures { get; init; }

    /// <summary>Measures every report with the scorer (in parallel: the scorer is thread-safe).</summary>
    public static FeatureTable Measure(ReportScorer scorer, LabelledData data, CampaignLookup? campaigns = null, int? maxParallelism = null)
    {
        var rows = new float[data.Reports.Count][];
        var failures = 0;
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism ?? Environment.ProcessorCount }, i =>
        {
            var report = data.Reports[i];
            var m = scorer.Measure(report, campaigns?.Invoke(report));
            rows[i] = m.Features;
            if (m.Failures.Count > 0) Interlocked.Add(ref failures, m.Failures.Count);
        });
        return new FeatureTable
        {
            FeatureNames = scorer.Catalog.FeatureNames,
            Rows = rows,
            Fabricated = data.Labels.Select(l => l.Fabricated).ToArray(),
            Groups = data.Labels.Select(l => l.CampaignId).ToArray(),
            DetectorFailures = failures,
        };
    }

    public FeatureTable Subset(IReadOnlyList<int> indexes) => new()
    {
        FeatureNames = FeatureNames,
        Rows = indexes.Select(i => Rows[i]).ToArray(),
        Fabricated = indexes.Select(i => Fabricated[i]).ToArray(),
        Groups = indexes.Select(i => Groups[i]).ToArray(),
    };
}
